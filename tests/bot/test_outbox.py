"""The outbox sender: retries with backoff, permanent failures marked, nothing lost or doubled."""
from __future__ import annotations

from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.app import create_app
from bot.channels.base import PermanentFailure, TemporaryFailure, Throttled
from bot.keys import ENGINE, OUTBOX, PIPELINE
from storage.db import session
from storage.models import Outbox
from tests.factories import BotDriver
from tests.fakes.senders import FakeSender

pytestmark = pytest.mark.postgres
NOISE = "楼上天天半夜吵 蹦迪一样 睡不着"


@pytest.fixture
async def scripted(config, clock, engine):  # noqa: ANN001, ANN201
    sender = FakeSender()
    client = TestClient(TestServer(create_app(config, clock=clock, engine=engine, background=False,
                                              senders={"sandbox": sender})))
    await client.start_server()
    yield BotDriver(client), sender
    await client.close()


def rows(bot) -> list[Outbox]:
    with session(bot.app[ENGINE]) as s:
        return list(s.exec(select(Outbox).order_by(Outbox.id)).all())


async def test_temporary_failure_is_retried_after_backoff_and_sent_once(scripted, clock):
    bot, sender = scripted
    await bot.say("grid-2", "resident-7", NOISE)
    await bot.app[PIPELINE].run_once()
    sender.fail_next(TemporaryFailure("HTTP 500"))
    assert await bot.app[OUTBOX].drain_once() == 2  # first row failed, the other two went out
    failed = [r for r in rows(bot) if r.status == "pending"]
    assert len(failed) == 1 and failed[0].attempts == 1 and "500" in failed[0].last_error
    assert await bot.app[OUTBOX].drain_once() == 0  # not due yet
    clock.advance(seconds=6)
    assert await bot.app[OUTBOX].drain_once() == 1
    assert [r.status for r in rows(bot)] == ["sent"] * 3
    assert len(sender.sent) == 3 and len({m.idempotency_key for m in sender.sent}) == 3


async def test_retry_after_hint_is_respected(scripted, clock):
    bot, sender = scripted
    await bot.say("grid-2", "resident-7", NOISE)
    await bot.app[PIPELINE].run_once()
    sender.fail_next(TemporaryFailure("rate limited", retry_after=65))
    await bot.app[OUTBOX].drain_once()
    clock.advance(seconds=60)
    assert await bot.app[OUTBOX].drain_once() == 0
    clock.advance(seconds=6)
    assert await bot.app[OUTBOX].drain_once() == 1


async def test_permanent_failure_is_marked_and_kept(scripted):
    bot, sender = scripted
    await bot.say("grid-2", "resident-7", NOISE)
    await bot.app[PIPELINE].run_once()
    sender.fail_next(PermanentFailure("user not found 40003"))
    await bot.app[OUTBOX].drain_once()
    statuses = sorted((r.status, r.last_error) for r in rows(bot))
    assert statuses == [("failed", "user not found 40003"), ("sent", None), ("sent", None)]


async def test_unexpected_sender_crash_loses_nothing(scripted, clock):
    bot, sender = scripted
    await bot.say("grid-2", "resident-7", NOISE)
    await bot.app[PIPELINE].run_once()
    sender.fail_next(ValueError("bug in a sender"))
    await bot.app[OUTBOX].drain_once()
    clock.advance(minutes=5)
    await bot.app[OUTBOX].drain_once()
    assert [r.status for r in rows(bot)] == ["sent"] * 3


async def test_gives_up_after_max_attempts(scripted, clock):
    bot, sender = scripted
    await bot.say("grid-2", "resident-7", NOISE)
    await bot.app[PIPELINE].run_once()
    sender.down_for.add("grid-2")
    for _ in range(10):
        await bot.app[OUTBOX].drain_once()
        clock.advance(timedelta(hours=1))
    by_chat = {r.chat_id: r for r in rows(bot)}
    assert (by_chat["grid-2"].status, by_chat["grid-2"].attempts) == ("failed", 8)
    assert by_chat["officer-2"].status == "sent" and by_chat["officer-2"].attempts == 1


async def test_claimed_row_of_a_dead_sender_is_sent_again_after_the_lease(scripted, clock):
    bot, sender = scripted
    await bot.say("grid-2", "resident-7", NOISE)
    await bot.app[PIPELINE].run_once()
    claimed = bot.app[OUTBOX]._claim()  # a sender claims rows, then its process dies before settling
    assert len(claimed) == 3
    assert await bot.app[OUTBOX].drain_once() == 0  # leased: nobody else sends them meanwhile
    clock.advance(minutes=3)
    assert await bot.app[OUTBOX].drain_once() == 3


async def test_rate_limit_waits_without_spending_attempts(scripted, clock):
    bot, sender = scripted
    await bot.say("grid-2", "resident-7", NOISE)
    await bot.app[PIPELINE].run_once()
    sender.fail_next(*[Throttled("robot 20/min", retry_after=60)] * 20)
    for _ in range(20):  # a long queue behind one robot key: many refusals, none of them a failure
        await bot.app[OUTBOX].drain_once()
        clock.advance(seconds=61)
    await bot.app[OUTBOX].drain_once()
    assert [(r.status, r.attempts) for r in rows(bot)] == [("sent", 1)] * 3
