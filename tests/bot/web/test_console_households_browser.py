"""The household pages in a real headless Chromium: the roster of the officer's grid, a resident's record edited
with a refused value shown in Chinese and then saved, the coverage page with the households not visited, and the
grid-days ledger downloaded as an xlsx. Screenshots under test-artefacts/screenshots."""
from __future__ import annotations

import io

import openpyxl
import pytest
from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.importing import run_import
from bot.keys import CLOCK, ENGINE
from handlers.households.outreach import Visit, record_visit
from storage.db import session as new_session
from storage.models import Household, Person, Resident
from tests.bot.web.console_kit import give_password, signed_in
from tests.fakes.browser import PHONE, chromium, playwright_ready, snap
from tests.handlers.households.demo_roster import DEMO_XLSX

pytestmark = [pytest.mark.skipif(not playwright_ready(), reason="no chromium (apt-get install chromium) or playwright"),
              pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


@pytest.fixture
async def served(config, clock, engine):  # noqa: ANN001, ANN201
    server = TestServer(create_app(config, clock=clock, engine=engine, background=False), host="127.0.0.1")
    await server.start_server()
    ok, lines = run_import(engine, kind="households", path=DEMO_XLSX, dry_run=False, now=clock.now())
    assert ok, lines
    give_password(engine, "officer-1", "worker-1")
    yield server
    await server.close()


def visit(server, household_id: str, topic: str, app: bool | None) -> None:  # noqa: ANN001
    with new_session(server.app[ENGINE]) as s:
        record_visit(s, household=s.get(Household, household_id), visitor=s.get(Person, "officer-1"),
                     now=server.app[CLOCK].now(), visit=Visit(topic, app, "", ""), via="console")
        s.commit()


async def test_the_roster_and_a_residents_record_edited(served):
    async with chromium() as browser:
        page = await signed_in(browser, served, "officer-1")
        await page.click("text=住户名单")
        await page.wait_for_url("**/console/households")
        assert await page.locator(".grid-roster").count() == 1, "only the officer's own grid"
        row = page.locator("tr[data-household='g1-0101']")
        assert "王秀英" in await row.locator(".members").text_content()
        await snap(page, "console-households")
        await row.locator("a").click()
        await page.wait_for_url("**/console/households/g1-0101")
        form = page.locator(".resident-form").first
        await form.locator("input[name=checkin_wait_hours]").fill("48")
        await form.locator("button[type=submit]").click()
        await page.locator(".error").wait_for()
        assert "等待小时应是1到24的整数" in await page.locator(".error").text_content()
        await snap(page, "console-household-refused")
        form = page.locator(".resident-form").first
        await form.locator("input[name=checkin_wait_hours]").fill("4")
        await form.locator("input[name=checkin_days]").fill("工作日")
        await form.locator("button[type=submit]").click()
        await page.locator(".flash").wait_for()
        assert "已保存王秀英的信息" in await page.locator(".flash").text_content()
        assert await page.locator(".resident-form input[name=checkin_wait_hours]").first.input_value() == "4"
    with new_session(served.app[ENGINE]) as s:
        wang = s.get(Resident, 1)
        assert (wang.name, wang.checkin_wait_hours, wang.checkin_days) == ("王秀英", 4, "1,2,3,4,5")


async def test_a_grid_worker_reads_the_roster_masked_on_a_phone(served):
    async with chromium() as browser:
        page = await signed_in(browser, served, "worker-1", PHONE)
        await page.goto("/console/households")
        text = await page.locator("tr[data-household='g1-0101']").text_content()
        assert "王**" in text and "王秀英" not in text and "1栋1单元***" in text
        await snap(page, "console-households-worker-phone")


async def test_coverage_and_the_grid_days_ledger(served):
    visit(served, "g1-0101", "反诈宣传", True)
    visit(served, "g1-0302", "反诈宣传", False)
    async with chromium() as browser:
        page = await signed_in(browser, served, "officer-1")
        await page.click("text=走访覆盖")
        await page.wait_for_url("**/console/coverage")
        grid = page.locator("#coverage tr[data-grid='grid-1']")
        assert (await grid.locator(".visited").text_content(), await grid.locator(".app").text_content()) == ("2", "1")
        left = await page.locator("#unvisited li").all_text_contents()
        assert [t.split()[0] for t in left] == ["g1-0501", "g1-0602"]
        await snap(page, "console-coverage")
        await page.click("text=台账导出")
        form = page.locator("form[data-kind='visit-days']")
        await form.locator("input[name=since]").fill("2026-11-02")
        await form.locator("input[name=until]").fill("2026-11-08")
        async with page.expect_download() as info:
            await form.locator("button[type=submit]").first.click()
        download = await info.value
        assert download.suggested_filename == "入户走访天数-2026-11-02_2026-11-08.xlsx"
        content = open(await download.path(), "rb").read()
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows == [("周次", "民警", "网格", "入户走访天数", "目标天数", "是否达标"),
                    ("2026-11-02至11-08", "张警官", "第一网格（1-6栋）", "1", "1", "达标")]
