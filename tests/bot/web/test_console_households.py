"""The console's household pages over HTTP: the roster within the reader's grids (names and addresses whole
for the police, masked for grid workers), the audited record and its edits with Chinese refusals, coverage
as /stats counts it, and the grid-days ledger export read back with openpyxl."""
from __future__ import annotations

import io

import openpyxl
import pytest
from sqlmodel import select

from bot.importing import run_import
from bot.keys import CLOCK, ENGINE
from storage.db import session as new_session
from storage.models import AuditEntry, Household, Resident
from tests.bot.web.console_kit import give_password, post, sign_in
from tests.handlers.households.demo_roster import DEMO_XLSX


@pytest.fixture
async def roster(bot):  # noqa: ANN001, ANN201
    ok, lines = run_import(bot.app[ENGINE], kind="households", path=DEMO_XLSX, dry_run=False, now=bot.app[CLOCK].now())
    assert ok, lines
    give_password(bot.app[ENGINE], "officer-1", "officer-2", "duty-1", "worker-1", "mediator-building")
    return bot


def audits(bot, action: str) -> list[tuple[str, str]]:  # noqa: ANN001
    with new_session(bot.app[ENGINE]) as s:
        return [(e.actor_id, e.detail) for e in s.exec(select(AuditEntry).where(AuditEntry.action == action)).all()]


def resident(bot, name: str) -> Resident:  # noqa: ANN001
    with new_session(bot.app[ENGINE]) as s:
        return s.exec(select(Resident).where(Resident.name == name)).one()


async def page(bot, path: str) -> tuple[int, str]:  # noqa: ANN001
    resp = await bot.client.get(path, allow_redirects=False)
    return resp.status, await resp.text()


async def test_a_grid_officer_sees_only_their_grid_and_whole_names(roster):
    await sign_in(roster.client, "officer-1")
    status, html = await page(roster, "/console/households")
    assert status == 200 and "王秀英" in html and "1栋1单元101" in html
    assert "g2-0801" not in html and "刘淑芬" not in html, "another grid's households stay hidden"
    status, html = await page(roster, "/console/households?grid_id=grid-2")
    assert status == 200 and "g2-0801" not in html and "刘淑芬" not in html
    assert audits(roster, "read_roster") == [("officer-1", "console grid-1 vulnerable")]


async def test_a_grid_worker_sees_their_grid_masked(roster):
    await sign_in(roster.client, "worker-1")
    status, html = await page(roster, "/console/households")
    assert status == 200 and "g1-0101" in html and "王**" in html and "1栋1单元***" in html
    assert "王秀英" not in html and "1栋1单元101" not in html and "g2-0801" not in html


async def test_station_wide_police_see_every_grid(roster):
    await sign_in(roster.client, "duty-1")
    _, html = await page(roster, "/console/households")
    assert all(h in html for h in ("g1-0101", "g2-0801", "g3-s12")) and "刘淑芬" in html


async def test_a_mediator_is_refused_the_household_pages(roster):
    await sign_in(roster.client, "mediator-building")
    for path in ("/console/households", "/console/coverage", "/console/households/g2-0801"):
        status, html = await page(roster, path)
        assert status in (403, 404) and "刘淑芬" not in html and "8栋2单元301" not in html, path
    resp = await post(roster.client, "/console/households/g2-0801", await _csrf(roster), address="x")
    assert resp.status == 404
    assert audits(roster, "read_household") == []


async def _csrf(bot) -> str:  # noqa: ANN001
    from tests.bot.web.console_kit import csrf_of
    return csrf_of(await (await bot.client.get("/console/cases")).text())


async def test_every_read_of_a_record_is_audited_and_another_grids_is_not_found(roster):
    await sign_in(roster.client, "officer-2")
    status, html = await page(roster, "/console/households/g2-0801")
    assert status == 200 and "13900000801" in html and "8栋2单元301" in html
    status, html = await page(roster, "/console/households/g1-0101")
    assert status == 404 and "王秀英" not in html
    assert audits(roster, "read_household") == [("officer-2", "console g2-0801 vulnerable")]


async def test_an_officer_edits_a_resident_and_a_bad_value_is_refused_in_chinese(roster):
    csrf = await sign_in(roster.client, "officer-1")
    wang = resident(roster, "王秀英")
    path = f"/console/households/g1-0101/residents/{wang.id}"
    resp = await post(roster.client, path, csrf, salutation="王阿婆", phone="139 0000 0101", flags="alone_elderly",
                      caretaker_id="worker-1", checkin_days="周一、周三、周五", checkin_time="09:00",
                      checkin_wait_hours="3", note="子女在外地")
    assert resp.status == 303
    saved = resident(roster, "王秀英")
    assert (saved.salutation, saved.checkin_days, saved.phone) == ("王阿婆", "1,3,5", "13900000101")
    assert audits(roster, "edit_resident") == [("officer-1", f"g1-0101 #{wang.id}: checkin_days, phone, salutation")]
    resp = await post(roster.client, path, csrf, checkin_wait_hours="48", checkin_time="25点", flags="alone_elderly")
    html = await resp.text()
    assert resp.status == 400 and "未保存：探访时间“25点”应写成 09:00" in html
    assert resident(roster, "王秀英").checkin_wait_hours == 3, "nothing of a refused edit is kept"


async def test_a_grid_worker_edits_without_writing_masked_values_back(roster):
    csrf = await sign_in(roster.client, "worker-1")
    _, html = await page(roster, "/console/households/g1-0302")
    assert "0571-00001302" not in html and "3栋2单元302" not in html, "a grid worker reads the record masked"
    resp = await post(roster.client, "/console/households/g1-0302", csrf, address="", phone="", note="门口有坡道")
    assert resp.status == 303
    with new_session(roster.app[ENGINE]) as s:
        home = s.get(Household, "g1-0302")
    assert (home.address, home.phone, home.note) == ("3栋2单元302", "057100001302", "门口有坡道")
    resp = await post(roster.client, "/console/households/g1-0302", csrf, phone="电话待补")
    assert resp.status == 400 and "不是号码" in await resp.text()
    resp = await post(roster.client, "/console/households/g2-0801", csrf, note="x")
    assert resp.status == 404, "another grid's household is not found"


async def test_coverage_matches_stats_and_lists_the_households_not_visited(roster):
    await roster.talk("officer-1", "officer-1", "/visit g1-0101 反诈宣传 已装APP")
    await roster.talk("officer-1", "officer-1", "/visit g1-0302 反诈宣传 未装APP")
    await sign_in(roster.client, "officer-1")
    status, html = await page(roster, "/console/coverage")
    assert status == 200 and "50.0%" in html and "25.0%" in html  # 2 of 4 households visited, 1 of 4 with the app
    unvisited = html.split('id="unvisited"')[1]
    assert "g1-0501" in unvisited and "g1-0602" in unvisited and "g1-0101" not in unvisited
    assert "g2-0801" not in html
    status, html = await page(roster, "/console/coverage?grid_id=grid-2")
    assert status == 200 and "g2-0801" not in html


async def test_the_grid_days_ledger_is_an_xlsx_beside_the_dispute_ledger(roster):
    await roster.talk("officer-1", "officer-1", "/visit g1-0101 反诈宣传 已装APP")
    await sign_in(roster.client, "officer-1")
    _, html = await page(roster, "/console/exports")
    assert "dispute-ledger" in html and 'data-kind="visit-days"' in html
    resp = await roster.client.get("/console/exports/visit-days.xlsx?since=2026-11-02&until=2026-11-08")
    assert resp.status == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(await resp.read())).active.iter_rows(values_only=True))
    assert rows[0] == ("周次", "民警", "网格", "入户走访天数", "目标天数", "是否达标")
    assert rows[1:] == [("2026-11-02至11-08", "张警官", "第一网格（1-6栋）", "1", "1", "达标")]
