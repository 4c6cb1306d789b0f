"""Confirming a broadcast writes every group's outbox row and delivery row in bulk, once; an empty target is refused
with nothing queued; /broadcast status counts sent, queued and failed, names the channels that delivered and the
reasons in Chinese."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.keys import CLOCK, ENGINE
from handlers import broadcasting
from storage.db import session as new_session
from storage.models import Broadcast, BroadcastDelivery, ChatGroup, DeliveryReceipt, Outbox

pytestmark = pytest.mark.postgres


def _drafted(engine, clock, targets: list[str]) -> int:  # noqa: ANN001
    with new_session(engine) as s:
        draft, _ = broadcasting.draft(s, actor_id="officer-1", targets=targets, text="近期冒充客服退款诈骗高发",
                                      now=clock.now())
        s.commit()
        return draft.id


async def test_confirm_queues_one_row_and_one_delivery_per_group_linked_to_each_other(bot):
    engine, clock = bot.app[ENGINE], bot.app[CLOCK]
    draft_id = _drafted(engine, clock, ["all"])
    with new_session(engine) as s:
        _, count = broadcasting.confirm(s, broadcast_id=draft_id, actor_id="officer-1", now=clock.now())
        s.commit()
    with new_session(engine) as s:
        groups = {g.id: g for g in s.exec(select(ChatGroup).where(ChatGroup.grid_id.is_not(None))).all()}
        rows = {r.id: r for r in s.exec(select(Outbox).where(Outbox.kind == "broadcast")).all()}
        deliveries = s.exec(select(BroadcastDelivery).where(BroadcastDelivery.broadcast_id == draft_id)).all()
    assert count == len(groups) == len(rows) == len(deliveries) == 3
    for d in deliveries:
        row, group = rows[d.outbox_id], groups[d.group_id]
        assert (row.channel, row.chat_id, row.idempotency_key) == (group.channel, group.chat_id,
                                                                   f"broadcast-{draft_id}-{group.id}")
        assert row.text == "【警务提醒】近期冒充客服退款诈骗高发" and row.status == "pending" and not row.is_direct
        assert row.next_attempt_at == clock.now() and row.mentions == [] and d.created_at == clock.now()


async def test_confirming_twice_queues_nothing_more(bot):
    engine, clock = bot.app[ENGINE], bot.app[CLOCK]
    draft_id = _drafted(engine, clock, ["grid-1", "grid-2"])
    for attempt in range(2):
        with new_session(engine) as s:
            if attempt == 0:
                broadcasting.confirm(s, broadcast_id=draft_id, actor_id="officer-1", now=clock.now())
            else:
                with pytest.raises(broadcasting.BroadcastRefused, match="已经发送过了"):
                    broadcasting.confirm(s, broadcast_id=draft_id, actor_id="officer-1", now=clock.now())
            s.commit()
    with new_session(engine) as s:
        assert len(s.exec(select(Outbox.id)).all()) == 2 and len(s.exec(select(BroadcastDelivery.id)).all()) == 2


async def test_a_target_whose_groups_were_unbound_since_the_preview_is_refused_with_nothing_queued(bot):
    engine, clock = bot.app[ENGINE], bot.app[CLOCK]
    draft_id = _drafted(engine, clock, ["grid-3"])
    with new_session(engine) as s:
        for group in s.exec(select(ChatGroup).where(ChatGroup.grid_id == "grid-3")).all():
            group.grid_id = None
            s.add(group)
        s.commit()
    sent = await bot.talk("officer-1", "officer-1", f"/confirm {draft_id}", direct=True)
    assert [m["text"] for m in sent] == ["目标网格下没有已绑定的群，无法广播。"]
    with new_session(engine) as s:
        assert s.exec(select(Outbox.id).where(Outbox.kind == "broadcast")).all() == []
        assert s.get(Broadcast, draft_id).status == "draft"


@pytest.mark.parametrize(("targets", "expected"), [("grid-9", "没有编号为 grid-9 的网格"), ("tag:不存在", "tag:不存在"),
                                                   ("，", "用法：")])
async def test_unknown_or_empty_targets_are_refused_before_a_draft(bot, targets, expected):
    sent = await bot.talk("officer-1", "officer-1", f"/broadcast {targets} 注意防范诈骗", direct=True)
    assert len(sent) == 1 and expected in sent[0]["text"]
    with new_session(bot.app[ENGINE]) as s:
        assert s.exec(select(Broadcast.id)).all() == []


async def test_status_counts_each_state_and_says_why_in_chinese_and_by_which_channel(bot):
    engine, clock = bot.app[ENGINE], bot.app[CLOCK]
    draft_id = _drafted(engine, clock, ["all"])
    await bot.talk("officer-1", "officer-1", f"/confirm {draft_id}", direct=True)  # all three sent on the sandbox
    with new_session(engine) as s:  # as the outbox would leave them: one by the robot, one failed, one waiting
        rows = s.exec(select(Outbox).where(Outbox.kind == "broadcast").order_by(Outbox.id)).all()
        s.get(DeliveryReceipt, rows[0].id).channel = "aibot"
        rows[1].status, rows[1].last_error = "failed", "bridge outbound: gateway refused: no such room"
        s.get(DeliveryReceipt, rows[1].id).reason = "refused"
        rows[2].status, rows[2].next_attempt_at = "pending", clock.now() + timedelta(hours=1)
        s.get(DeliveryReceipt, rows[2].id).reason = "budget"
        s.add_all(rows)
        s.commit()
    [answer] = await bot.talk("officer-1", "officer-1", f"/broadcast status {draft_id}", direct=True)
    text = answer["text"]
    assert f"广播{draft_id}已送达1个群（共3个）" in text and "已送达1，排队中1，失败1" in text
    assert "送达渠道：企业微信群机器人1个" in text
    assert "发送失败1个：幸福里二网格" in text and "（平台拒收）" in text
    assert "仍在排队1个：" in text and "（微信群账号本时段发送额度已用完，稍后自动发送）" in text
    assert "gateway" not in text and "budget" not in text and "refused" not in text


@pytest.mark.parametrize(("targets", "every_resident"), [(["all"], True), (["grid-1", "grid-2"], True),
                                                         (["tag:商铺"], False)])
async def test_a_broadcast_to_grids_is_for_every_resident_one_to_tagged_groups_is_not(bot, targets, every_resident):
    """Only a broadcast for every resident of its grids may reach their followers of the Official Account when a
    group cannot be reached (bot/follower_notices.py); one for shops stays with the shops' groups."""
    from storage.followers import for_every_resident

    engine, clock = bot.app[ENGINE], bot.app[CLOCK]
    draft_id = _drafted(engine, clock, targets)
    with new_session(engine) as s:
        broadcasting.confirm(s, broadcast_id=draft_id, actor_id="officer-1", now=clock.now())
        s.commit()
    with new_session(engine) as s:
        hints = [r.reply_hint for r in s.exec(select(Outbox).where(Outbox.kind == "broadcast")).all()]
    expected = for_every_resident(f"broadcast-{draft_id}") if every_resident else {}
    assert hints and hints == [expected] * len(hints)
