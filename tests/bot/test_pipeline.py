"""The worker: arrival order per chat, failures recorded without losing the message, unknown groups."""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot import retrying
from bot.keys import ENGINE, PIPELINE
from storage.db import session
from storage.models import AuditEntry, ChatGroup, Message

pytestmark = pytest.mark.postgres


class Exploding:
    def classify(self, text):  # noqa: ANN001, ANN201
        raise RuntimeError("classifier broke")

    def set_scam_words(self, words):  # noqa: ANN001, ANN201
        pass


def messages(bot) -> list[Message]:
    with session(bot.app[ENGINE]) as s:
        return list(s.exec(select(Message).order_by(Message.id)).all())


async def test_failing_handler_is_recorded_and_retried_after_its_wait(bot, clock):
    pipeline = bot.app[PIPELINE]
    real = pipeline.classifier
    pipeline.classifier = Exploding()
    await bot.say("grid-2", "resident-7", "楼上天天半夜吵 睡不着")
    assert pipeline.process_next() is True
    first = messages(bot)[0]
    assert first.handled_at is None and first.attempts == 1 and "classifier broke" in first.error
    pipeline.classifier = real
    assert await pipeline.run_once() == 0  # waits for its retry
    clock.advance(retrying.step(1))
    await pipeline.run_once()
    done = messages(bot)[0]
    assert done.handled_at is not None and done.intent == "dispute"


async def test_message_that_always_fails_is_parked_with_its_error_never_handled(bot, clock):
    pipeline = bot.app[PIPELINE]
    pipeline.classifier = Exploding()
    await bot.say("grid-2", "resident-7", "楼上天天半夜吵 睡不着")
    await bot.say("grid-2", "resident-8", "/help")
    for attempt in range(1, retrying.FAULT_TRIES + 1):
        await pipeline.run_once()
        clock.advance(retrying.step(attempt))
    parked, after = messages(bot)
    assert parked.attempts == retrying.FAULT_TRIES and parked.parked_at is not None and parked.handled_at is None
    assert "RuntimeError" in parked.error and parked.intent is None
    assert after.handled_at is not None  # the chat's next message does not wait behind a parked one


async def test_unknown_group_stays_silent_tells_admins_and_binds(bot):
    sent = await bot.talk("new-group-9", "resident-1", "楼上天天半夜吵 睡不着")
    assert [m["chat_id"] for m in sent] == ["admin-1"] and "/bind" in sent[0]["text"]
    assert await bot.talk("new-group-9", "resident-2", "楼下油烟太大了") == []  # told once only
    sent = await bot.talk("new-group-9", "officer-3", "/bind grid-3")
    assert "已绑定" in sent[0]["text"]
    with session(bot.app[ENGINE]) as s:
        group = s.exec(select(ChatGroup).where(ChatGroup.chat_id == "new-group-9")).one()
        assert (group.grid_id, group.bound_by) == ("grid-3", "officer-3")
        assert "bind" in [a.action for a in s.exec(select(AuditEntry)).all()]
    sent = await bot.talk("new-group-9", "resident-1", "楼上天天半夜吵 吵得睡不着")
    assert any(m["chat_id"] == "officer-3" for m in sent)
    sent = await bot.talk("new-group-9", "officer-3", "/unbind")
    assert "解除" in sent[0]["text"]
    assert await bot.talk("new-group-9", "resident-1", "楼上天天半夜吵 吵得睡不着") == []


async def test_unknown_groups_alert_once_a_channel_an_hour_and_stop_creating_rows(bot, clock, monkeypatch):
    from handlers import dispatch

    monkeypatch.setattr(dispatch, "MAX_UNBOUND_GROUPS", 5)  # the limit itself is 200; five shows the same
    alerts = []
    for n in range(8):
        alerts += [m for m in await bot.talk(f"invented-{n}", "resident-1", "大家好") if m["chat_id"] == "admin-1"]
    assert len(alerts) == 1  # eight unknown groups within the hour: one alert
    with session(bot.app[ENGINE]) as s:
        stored = [g.chat_id for g in s.exec(select(ChatGroup).where(ChatGroup.chat_id.startswith("invented-")))]
    assert stored == [f"invented-{n}" for n in range(5)]  # no rows past the limit
    sent = await bot.talk("invented-7", "officer-3", "/bind grid-3")  # an unstored group can still be bound
    assert [m["chat_id"] for m in sent if "已绑定" in m["text"]] == ["invented-7"]
    clock.advance(minutes=61)
    assert await bot.talk("invented-0", "resident-1", "大家好") == []  # a known (stored) group: no alert
    sent = await bot.talk("another-1", "resident-1", "大家好")  # an hour later: the next alert
    assert [m["chat_id"] for m in sent] == ["admin-1"]


async def test_resident_cannot_bind_and_unknown_grid_is_explained(bot):
    await bot.talk("new-group-8", "resident-1", "大家好")
    sent = await bot.talk("new-group-8", "resident-1", "/bind grid-1")
    assert "只有" in sent[0]["text"]
    sent = await bot.talk("new-group-8", "officer-1", "/绑定 grid-77")
    assert "grid-77" in sent[0]["text"] and "grid-1" in sent[0]["text"]


async def test_messages_of_one_chat_are_handled_in_arrival_order(bot):
    for n in range(3):
        await bot.say("grid-1", "resident-1", f"/help {n}")
    await bot.step()
    handled = messages(bot)
    assert [m.id for m in sorted(handled, key=lambda m: m.handled_at)] == [m.id for m in handled]
