"""A resident's dispute in a grid group becomes a case for that grid's officer (through the real app)."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.postgres

DISPUTE = "楼上每天半夜12点还在蹦迪，吵得孩子睡不着，说了好几次都不听，我是8栋2单元301的"


async def test_dispute_in_grid_2_opens_case_for_officer_2(bot):
    sent = await bot.talk("grid-2", "resident-7", DISPUTE)
    status, cases = await bot.api("/api/cases")
    assert status == 200 and len(cases) == 1
    case = cases[0]
    assert (case["kind"], case["subtype"], case["grid_id"]) == ("dispute", "noise", "grid-2")
    assert (case["assignee_id"], case["status"], case["reporter_id"]) == ("officer-2", "assigned", "resident-7")
    group_replies = [m for m in sent if m["chat_id"] == "grid-2"]
    assert len(group_replies) == 1
    reply = group_replies[0]
    assert f"{case['id']}号" in reply["text"] and "李警官" in reply["text"]
    assert reply["mentions"] == ["resident-7"]
    card = [m for m in sent if m["chat_id"] == "officer-2"]
    assert len(card) == 1
    for part in (f"{case['id']}号", "第二网格", "噪音", DISPUTE):
        assert part in card[0]["text"]
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", card[0]["text"])


async def test_group_reply_never_echoes_phone_or_id_number(bot):
    text = "隔壁装修天天砸墙 吵死了 我电话13912345678 身份证330102199001011234 麻烦处理"
    sent = await bot.talk("grid-2", "resident-8", text)
    group = [m["text"] for m in sent if m["chat_id"] == "grid-2"]
    assert group, "the resident gets an answer"
    assert all("13912345678" not in t and "330102199001011234" not in t for t in group)
    assert any("私聊" in t for t in group)


@pytest.mark.parametrize("text", ["收到", "谢谢警官", "早上好", "好的👌", "[强][强]"])
async def test_chatter_gets_no_reply(bot, text):
    assert await bot.talk("grid-1", "resident-1", text) == []
    status, cases = await bot.api("/api/cases")
    assert cases == []


async def test_same_msg_id_twice_is_one_message_one_case_one_reply(bot):
    first = await bot.say("grid-2", "resident-7", DISPUTE, msg_id="wx-1")
    second = await bot.say("grid-2", "resident-7", DISPUTE, msg_id="wx-1")
    assert first["message_id"] == second["message_id"]
    await bot.step()
    await bot.step()
    _, cases = await bot.api("/api/cases")
    assert len(cases) == 1
    assert len(await bot.sent("grid-2")) == 1
    assert len(await bot.sent("officer-2")) == 1


async def test_dispute_in_grid_1_goes_to_officer_1(bot):
    sent = await bot.talk("grid-1", "resident-3", "对门邻居天天把垃圾堆在楼道里 臭死了 说了也不听")
    _, cases = await bot.api("/api/cases")
    assert cases[0]["assignee_id"] == "officer-1" and cases[0]["grid_id"] == "grid-1"
    assert any(m["chat_id"] == "officer-1" for m in sent)
    assert not any(m["chat_id"] == "officer-2" for m in sent)
