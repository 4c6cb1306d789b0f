"""Officer commands through the sandbox: /help, /case, /reply, /close, aliases, roles."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.postgres


async def open_dispute(bot) -> int:
    await bot.talk("grid-2", "resident-7", "楼上邻居天天晚上拖椅子 吵得睡不着 物业也不管")
    _, cases = await bot.api("/api/cases")
    return cases[0]["id"]


async def test_officer_replies_to_resident_in_the_case_group(bot):
    case_id = await open_dispute(bot)
    sent = await bot.talk("officer-2", "officer-2", f"/reply {case_id} 明天上午我上门了解情况", direct=True)
    in_group = [m for m in sent if m["chat_id"] == "grid-2"]
    assert len(in_group) == 1
    assert "明天上午我上门了解情况" in in_group[0]["text"] and in_group[0]["mentions"] == ["resident-7"]
    _, case = await bot.api(f"/api/cases/{case_id}")
    assert case["status"] == "in_progress"
    assert [e["action"] for e in case["events"]][-2:] == ["replied", "acknowledged"]


async def test_close_with_chinese_alias_records_outcome(bot):
    case_id = await open_dispute(bot)
    sent = await bot.talk("grid-2", "officer-2", f"/结案 {case_id} 调解成功，双方握手言和")
    assert any("已结案" in m["text"] for m in sent)
    _, case = await bot.api(f"/api/cases/{case_id}")
    assert case["status"] == "closed" and case["outcome"] == "调解成功，双方握手言和"
    last = case["events"][-1]
    assert (last["actor_id"], last["from_status"], last["to_status"]) == ("officer-2", "assigned", "closed")


async def test_resident_cannot_close_case(bot):
    case_id = await open_dispute(bot)
    sent = await bot.talk("grid-2", "resident-7", f"/close {case_id} 我自己关了")
    assert len(sent) == 1 and "只有" in sent[0]["text"] and "民警" in sent[0]["text"]
    _, case = await bot.api(f"/api/cases/{case_id}")
    assert case["status"] == "assigned"


async def test_unknown_command_gets_help_text(bot):
    sent = await bot.talk("officer-1", "officer-1", "/frobnicate 3", direct=True)
    assert len(sent) == 1 and "/close" in sent[0]["text"] and "/reply" in sent[0]["text"]


async def test_resident_help_lists_only_what_a_resident_may_use(bot):
    sent = await bot.talk("grid-1", "resident-1", "/help")
    assert len(sent) == 1 and "/help" in sent[0]["text"] and "/close" not in sent[0]["text"]


async def test_case_shows_detail_and_unknown_case_is_told(bot):
    case_id = await open_dispute(bot)
    sent = await bot.talk("officer-2", "officer-2", f"/case {case_id}", direct=True)
    assert f"{case_id}号" in sent[0]["text"] and "拖椅子" in sent[0]["text"]
    sent = await bot.talk("officer-2", "officer-2", "/case 999", direct=True)
    assert "没有找到999号" in sent[0]["text"]


@pytest.mark.parametrize("text", ["/close", "/close abc 好", "/reply 1", "/close 1"])
async def test_bad_usage_is_answered_with_usage(bot, text):
    await open_dispute(bot)
    sent = await bot.talk("officer-2", "officer-2", text, direct=True)
    assert len(sent) == 1 and sent[0]["text"].startswith("用法：")


async def test_closing_twice_is_refused(bot):
    case_id = await open_dispute(bot)
    await bot.talk("officer-2", "officer-2", f"/close {case_id} 已调解", direct=True)
    sent = await bot.talk("officer-2", "officer-2", f"/close {case_id} 再关一次", direct=True)
    assert "已经结案" in sent[0]["text"]
