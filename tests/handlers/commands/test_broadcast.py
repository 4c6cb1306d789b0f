"""/broadcast previews, /confirm sends one outbox row per target group and records each delivery."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.keys import CLOCK, ENGINE
from storage.db import session as new_session
from storage.models import Broadcast, BroadcastDelivery

pytestmark = pytest.mark.postgres


async def test_broadcast_preview_then_confirm_reaches_each_group_once(bot):
    sent = await bot.talk("officer-1", "officer-1", "/广播 grid-1,grid-2 近期冒充客服退款诈骗高发，请勿添加陌生客服",
                          direct=True)
    assert len(sent) == 1 and "共2个群" in sent[0]["text"] and "/confirm" in sent[0]["text"]
    assert await bot.sent("grid-1") == []
    with new_session(bot.app[ENGINE]) as session:
        draft_id = session.exec(select(Broadcast.id)).one()
    sent = await bot.talk("officer-1", "officer-1", f"/确认 {draft_id}", direct=True)
    assert sorted(m["chat_id"] for m in sent if m["chat_id"].startswith("grid")) == ["grid-1", "grid-2"]
    assert all("冒充客服" in m["text"] for m in sent if m["chat_id"].startswith("grid"))
    sent = await bot.talk("officer-1", "officer-1", f"/confirm {draft_id}", direct=True)
    assert len(sent) == 1 and "已经发送过了" in sent[0]["text"]
    with new_session(bot.app[ENGINE]) as session:
        deliveries = session.exec(select(BroadcastDelivery)).all()
        assert len(deliveries) == 2 and all(d.outbox_id for d in deliveries)


async def test_broadcast_to_all_groups(bot):
    sent = await bot.talk("officer-2", "officer-2", "/broadcast 全部 注意防范电信诈骗", direct=True)
    assert "共3个群" in sent[0]["text"] and "全部网格" in sent[0]["text"]


@pytest.mark.parametrize(("text", "expected"), [
    ("/broadcast", "用法："), ("/broadcast all", "用法："), ("/broadcast grid-9 内容", "没有编号为 grid-9 的网格"),
    ("/confirm", "用法："), ("/confirm 42", "没有编号为42的广播"),
])
async def test_broadcast_mistakes_get_one_answer(bot, text, expected):
    sent = await bot.talk("officer-1", "officer-1", text, direct=True)
    assert len(sent) == 1 and expected in sent[0]["text"]


async def test_only_officers_may_broadcast(bot):
    for who in ("worker-1", "mediator-property"):
        sent = await bot.talk(who, who, "/broadcast all 测试", direct=True)
        assert "只有" in sent[0]["text"]


async def _draft(bot, who: str = "officer-1") -> int:  # noqa: ANN001
    await bot.talk(who, who, "/broadcast grid-1 近期冒充客服退款诈骗高发", direct=True)
    with new_session(bot.app[ENGINE]) as session:
        return session.exec(select(Broadcast.id)).one()


@pytest.mark.parametrize(("who", "allowed"), [("officer-1", True), ("admin-1", True), ("officer-2", False),
                                              ("duty-1", False)])
async def test_a_broadcast_is_confirmed_by_its_drafter_or_an_admin(bot, who, allowed):
    draft_id = await _draft(bot)
    sent = await bot.talk(who, who, f"/confirm {draft_id}", direct=True)
    reached = [m for m in sent if m["chat_id"] == "grid-1"]
    assert bool(reached) is allowed, sent
    if not allowed:
        assert [m["text"] for m in sent] == [f"广播{draft_id}由张警官起草，只有起草人或管理员可以确认发送。"]


async def test_an_expired_draft_says_so_and_sends_nothing(bot):
    draft_id = await _draft(bot)
    bot.app[CLOCK].advance(timedelta(minutes=31))
    sent = await bot.talk("officer-1", "officer-1", f"/confirm {draft_id}", direct=True)
    assert len(sent) == 1 and "已过期" in sent[0]["text"] and "/broadcast" in sent[0]["text"]
    assert await bot.sent("grid-1") == []
