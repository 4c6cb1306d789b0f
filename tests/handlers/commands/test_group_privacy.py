"""Staff commands typed in a residents' group are answered in the staff member's direct chat: the group sees at
most 已私信您, never a resident's name, address, complaint or phone."""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot.keys import CLOCK, CONFIG, ENGINE
from handlers import texts
from handlers.dispatch import build_routes, handle_message
from handlers.message import ChannelDirectory
from storage.db import session
from storage.models import Account, Message, Outbox, Person

COMPLAINT = "楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301，电话138 1234 5678"


async def _case(bot) -> int:  # noqa: ANN001
    await bot.talk("grid-2", "resident-7", COMPLAINT)
    _, rows = await bot.api("/api/cases")
    return rows[0]["id"]


@pytest.mark.parametrize("who, command", [
    ("officer-2", "/case {id}"),
    ("officer-2", "/mine"),
    ("officer-2", "/agenda"),
    ("officer-2", "/note {id} 已上门，住户电话13812345678"),
    ("worker-2", "/case {id}"),
    ("mediator-property", "/case {id}"),
    ("officer-2", "/stats"),
])
async def test_staff_command_in_a_group_is_answered_privately(bot, who, command):
    case_id = await _case(bot)
    await bot.talk("officer-2", "officer-2", f"/assign {case_id} officer-2", direct=True)
    await bot.talk("officer-2", "officer-2", f"/hard {case_id}", direct=True)
    replies = await bot.talk("grid-2", who, command.format(id=case_id))
    in_group = [m["text"] for m in replies if m["chat_id"] == "grid-2"]
    private = [m["text"] for m in replies if m["chat_id"] == who]
    assert in_group == [texts.SENT_PRIVATELY], replies
    assert private, replies


async def test_the_case_card_reaches_the_officer_not_the_group(bot):
    case_id = await _case(bot)
    replies = await bot.talk("grid-2", "officer-2", f"/case {case_id}")
    private = "\n".join(m["text"] for m in replies if m["chat_id"] == "officer-2")
    group = "\n".join(m["text"] for m in await bot.sent("grid-2"))
    assert "蹦迪" in private and "8栋2单元301" in private
    assert "8栋2单元301" not in group.replace(COMPLAINT, "")  # only the resident's own message carries it
    assert [m["text"] for m in replies if m["chat_id"] == "grid-2"] == [texts.SENT_PRIVATELY]


async def test_a_resident_command_in_a_group_is_still_answered_there(bot):
    replies = await bot.talk("grid-1", "resident-1", "/help")
    assert [m["chat_id"] for m in replies] == ["grid-1"]


async def test_bind_is_answered_in_the_group(bot):
    replies = await bot.talk("new-group", "officer-1", "/bind grid-1")
    in_group = [m["text"] for m in replies if m["chat_id"] == "new-group"]
    assert texts.GROUP_BOUND.format(grid="第一网格（1-6栋）") in in_group and texts.SENT_PRIVATELY not in in_group


async def test_staff_without_a_direct_chat_are_told_to_message_privately(bot):
    """On a channel whose people need a stored address for direct messages, an officer without one is told, in
    the group, to message the bot privately; the case is neither shown nor changed there."""
    case_id = await _case(bot)
    app = bot.app
    directory = ChannelDirectory(identity={"wecom": "wecom"}, direct={"wecom": "wecom"}, titles={"wecom": "企业微信"})
    now = app[CLOCK].now()
    with session(app[ENGINE]) as s:
        s.add(Account(family="wecom", external_id="zhangjingguan", person_id="officer-2"))
        officer = s.get(Person, "officer-2")
        officer.dm_channel = officer.dm_chat_id = None
        message = Message(channel="wecom", channel_msg_id="m-1", chat_id="wecom-room-2", sender_id="zhangjingguan",
                          text=f"/case {case_id}", is_direct=False, sent_at=now, received_at=now)
        s.add(message)
        s.flush()
        before = s.exec(select(Outbox.id)).all()
        handle_message(s, message=message, config=app[CONFIG], now=now, classifier=None, routes=build_routes(),
                       channels=directory)
        s.flush()
        new = [r for r in s.exec(select(Outbox)).all() if r.id not in before]
        texts_sent = [(r.chat_id, r.text) for r in new if r.kind != "alert"]
        s.rollback()
    assert texts_sent == [("wecom-room-2", texts.PRIVATE_CHAT_NEEDED)], texts_sent
