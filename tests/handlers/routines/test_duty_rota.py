"""The duty rota (排班) through the bot: a call for help at 3 a.m. pages whoever is on duty for the grid (and the grid's
officer still hears); re-pages climb the police chain only; the officer hears when someone else takes the call."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlmodel import select

from bot.keys import ENGINE
from storage.db import session as new_session
from storage.models import Case, Person
from tests.factories import demo_raw, make_config

pytestmark = pytest.mark.postgres

HELP = "我妈在家摔倒了起不来 快来人"
NIGHT = datetime(2026, 11, 2, 19, 0, tzinfo=timezone.utc)  # 03:00 on Tuesday 3 November in Shanghai
LEADER = {"id": "leader-1", "name": "钱所长", "role": "officer", "title": "派出所所长", "scope": "station"}


def rota_config(*shifts: dict, leader: bool = False):  # noqa: ANN201
    raw = demo_raw()
    return make_config(duty=list(shifts), people=raw["people"] + ([LEADER] if leader else []))


NIGHTS = {"person": "officer-2", "grids": ["grid-1"], "hours": "22:00-08:00"}


async def call(bot) -> tuple[int, list[dict]]:  # noqa: ANN001
    sent = await bot.talk("grid-1", "resident-1", HELP)
    _, cases = await bot.api("/api/cases")
    return cases[0]["id"], sent


@pytest.mark.parametrize("config", [rota_config(NIGHTS)])
async def test_a_call_at_three_in_the_morning_pages_the_officer_on_duty(bot, clock):
    clock.set(NIGHT)
    case_id, sent = await call(bot)
    cards = sorted(m["chat_id"] for m in sent if "紧急求助" in m["text"] and m["chat_id"] != "grid-1")
    assert cards == ["duty-1", "officer-1", "officer-2"]  # on duty, the grid's officer, the station's duty officer
    ack = [m["text"] for m in sent if m["chat_id"] == "grid-1"]
    assert len(ack) == 1 and "值班的李警官" in ack[0]
    _, case = await bot.api(f"/api/cases/{case_id}")
    assert case["assignee_id"] == "officer-2"
    sent = await bot.talk("officer-2", "officer-2", f"/case {case_id}", direct=True)  # on duty: may work on it
    assert "我妈在家摔倒" in sent[0]["text"]


@pytest.mark.parametrize("config", [rota_config(NIGHTS)])
async def test_outside_the_shift_the_grid_officer_is_paged_as_before(bot, clock):
    clock.set(NIGHT.replace(hour=1))  # 09:00 local
    case_id, sent = await call(bot)
    assert sorted(m["chat_id"] for m in sent if m["chat_id"] != "grid-1") == ["duty-1", "officer-1"]
    assert any("责任民警张警官" in m["text"] for m in sent if m["chat_id"] == "grid-1")
    _, case = await bot.api(f"/api/cases/{case_id}")
    assert case["assignee_id"] == "officer-1"


@pytest.mark.parametrize("config", [rota_config(NIGHTS, {"person": "officer-3", "grids": ["all"],
                                                         "hours": "00:00-24:00", "date": "2026-11-02"})])
async def test_a_dated_shift_wins_over_the_weekly_one_past_midnight(bot, clock):
    clock.set(NIGHT)  # 03:00 on 3 November: the dated shift of 2 November has ended, the night shift of the 2nd runs
    await call(bot)
    with new_session(bot.app[ENGINE]) as session:
        assert session.exec(select(Case.assignee_id)).one() == "officer-2"
    clock.set(NIGHT.replace(hour=15))  # 23:00 on 2 November: both cover grid-1; the dated one wins
    await bot.talk("grid-1", "resident-2", "快来人 家里着火了")
    with new_session(bot.app[ENGINE]) as session:
        assert session.exec(select(Case.assignee_id).order_by(Case.id)).all()[-1] == "officer-3"


@pytest.mark.parametrize("config", [rota_config(NIGHTS, leader=True)])
async def test_re_pages_climb_the_police_chain(bot, clock):
    clock.set(NIGHT)
    await call(bot)
    rounds = []
    for _ in range(3):
        before = len(await bot.sent())
        clock.advance(minutes=10)
        assert await bot.tick() == 1
        rounds.append(sorted(m["chat_id"] for m in (await bot.sent())[before:] if "再次上报" in m["text"]))
    assert rounds[0] == ["duty-1", "officer-1", "officer-2"]
    assert rounds[1] == rounds[2] == ["duty-1", "leader-1", "officer-1", "officer-2"]


@pytest.mark.parametrize("config", [rota_config(NIGHTS, leader=True)])
@pytest.mark.parametrize("holder", ["worker-1", "mediator-community", "mediator-property", "resident-elder"])
async def test_no_civilian_ever_receives_a_re_page(bot, clock, holder):
    clock.set(NIGHT)
    case_id, _ = await call(bot)
    with new_session(bot.app[ENGINE]) as session:  # a call for help held by a civilian (imported, or set by hand)
        case = session.get(Case, case_id)
        case.assignee_id, case.mediator_id = holder, "mediator-community"
        session.add(case)
        session.commit()
    before = len(await bot.sent())
    for _ in range(4):
        clock.advance(minutes=10)
        assert await bot.tick() == 1
    repaged = {m["chat_id"] for m in (await bot.sent())[before:] if "再次上报" in m["text"]}
    with new_session(bot.app[ENGINE]) as session:
        roles = {p.id: p.role for p in session.exec(select(Person)).all()}
    assert repaged == {"duty-1", "leader-1", "officer-1", "officer-2"} - {holder}
    assert all(roles[who] == "officer" for who in repaged)


@pytest.mark.parametrize("config", [rota_config(NIGHTS)])
async def test_the_grid_officer_hears_when_the_officer_on_duty_takes_the_call(bot, clock):
    clock.set(NIGHT)
    case_id, _ = await call(bot)
    sent = await bot.talk("officer-2", "officer-2", f"/take {case_id}", direct=True)
    told = [m for m in sent if m["chat_id"] == "officer-1"]
    assert len(told) == 1 and "已由李警官响应处置" in told[0]["text"] and f"{case_id}号" in told[0]["text"]
    assert sorted(m["chat_id"] for m in sent) == ["officer-1", "officer-2"]  # the notice, and the taker's answer
    assert not any("响应处置" in m["text"] for m in sent if m["chat_id"] == "officer-2")
    sent = await bot.talk("officer-2", "officer-2", f"/note {case_id} 已到现场", direct=True)
    assert not any("响应处置" in m["text"] for m in sent)  # told once, on the first acknowledgement


async def test_someone_else_noting_a_call_tells_the_grid_officer(bot):
    case_id, _ = await call(bot)
    sent = await bot.talk("duty-1", "duty-1", f"/note {case_id} 已派人前往", direct=True)
    told = [m for m in sent if m["chat_id"] == "officer-1" and "响应处置" in m["text"]]
    assert len(told) == 1 and "赵警官" in told[0]["text"]
    sent = await bot.talk("officer-1", "officer-1", f"/take {case_id}", direct=True)
    assert not any("响应处置" in m["text"] for m in sent)


async def test_the_grid_officer_acting_on_their_own_call_hears_nothing_extra(bot):
    case_id, _ = await call(bot)
    sent = await bot.talk("officer-1", "officer-1", f"/take {case_id}", direct=True)
    assert [m["chat_id"] for m in sent] == ["officer-1"] and "响应处置" not in sent[0]["text"]
