"""Calls for help: contact card to the grid and duty officers at once; unacknowledged → escalated again
once per ``timers.help_ack_minutes``; any officer command on the case acknowledges it."""
from __future__ import annotations

import pytest

from bot.keys import ENGINE
from storage.db import session as new_session

pytestmark = pytest.mark.postgres

HELP = "我妈在家摔倒了起不来 快来人"


async def call_for_help(bot) -> int:
    sent = await bot.talk("grid-1", "resident-1", HELP)
    cards = [m for m in sent if m["chat_id"] in ("officer-1", "duty-1")]
    assert len(cards) == 2
    for part in ("紧急求助", "resident-1", "电话：未登记", "幸福里一网格信息共享群", "第一网格", HELP):
        assert part in cards[0]["text"]
    _, cases = await bot.api("/api/cases")
    return cases[0]["id"]


async def test_unacknowledged_help_is_escalated_once_per_period(bot, clock):
    case_id = await call_for_help(bot)
    clock.advance(minutes=9)
    assert await bot.tick() == 0
    clock.advance(minutes=1)
    before = len(await bot.sent())
    assert await bot.tick() == 1
    assert await bot.tick() == 0  # same now: nothing twice
    sent = (await bot.sent())[before:]
    assert sorted(m["chat_id"] for m in sent) == ["duty-1", "officer-1"]  # police only: never the mediator
    assert all("再次上报" in m["text"] for m in sent)
    clock.advance(minutes=5)
    assert await bot.tick() == 0
    clock.advance(minutes=5)
    assert await bot.tick() == 1
    _, case = await bot.api(f"/api/cases/{case_id}")
    escalations = [e for e in case["events"] if e["action"] == "escalated"]
    assert len(escalations) == 2 and case["level"] == "community"


@pytest.mark.parametrize("command", ["/take {id}", "/note {id} 已电话联系，马上到", "/reply {id} 马上到"])
async def test_any_officer_command_acknowledges_help(bot, clock, command):
    case_id = await call_for_help(bot)
    await bot.talk("officer-1", "officer-1", command.format(id=case_id), direct=True)
    clock.advance(minutes=30)
    assert await bot.tick() == 0
    _, case = await bot.api(f"/api/cases/{case_id}")
    assert "acknowledged" in [e["action"] for e in case["events"]] or case["status"] == "in_progress"
    assert "escalated" not in [e["action"] for e in case["events"]]


async def test_resident_phone_is_on_the_card_when_known(bot):
    bot.raw = True  # officers' cards carry raw numbers; the masked sent-log is tested in test_sandbox_guard
    sent = await bot.talk("officer-1", "officer-1", "/help", direct=True)  # a known person with a phone
    assert sent
    from storage.models import Person
    with new_session(bot.app[ENGINE]) as session:
        session.add(Person(id="resident-p", name="王阿姨", role="resident", phone="13700001111", grid_id="grid-1"))
        session.commit()
    sent = await bot.talk("grid-1", "resident-p", HELP)
    card = [m for m in sent if m["chat_id"] == "officer-1"][0]
    assert "王阿姨" in card["text"] and "13700001111" in card["text"]
    assert all("13700001111" not in m["text"] for m in sent if m["chat_id"] == "grid-1")
