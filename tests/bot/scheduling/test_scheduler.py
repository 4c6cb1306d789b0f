"""The scheduler over weeks of a fake clock: each fire once, across restarts and a second process."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.app import create_app
from bot.keys import SCHEDULER
from bot.scheduling.scheduler import Scheduler
from handlers.routines.notices import library
from storage.db import make_engine
from storage.db import session as new_session
from storage.models import AuditEntry, JobRun
from storage.sync import sync_community
from tests.bot.scheduling.test_scheduler_support import (
    FakeClassifier,
    local,
    run_until,
    sent_rows,
    start_bot,
    tick,
)
from tests.factories import DIRECT
from tests.fakes.clock import FakeClock

GROUPS = ("grid-1", "grid-2", "grid-3")
ANTI_FRAUD = [n.text for n in library()["anti-fraud"]]


def notices_to(engine, chat_id: str) -> list[str]:  # noqa: ANN001
    return [row.text for row in sent_rows(engine, kind="notice", chat_id=chat_id)]


async def test_monday_notice_goes_to_every_group_once(aiohttp_client, config, engine) -> None:  # noqa: ANN001
    clock = FakeClock(local(2026, 11, 2, 8, 0))  # Monday 08:00
    bot = await start_bot(aiohttp_client, config, clock, engine)
    assert [o.job_id for o in await tick(bot)] == ["timers"]  # a fire exactly at start is owed
    clock.set(local(2026, 11, 2, 9, 0))
    outcomes = await tick(bot)
    assert [(o.job_id, o.status, o.count) for o in outcomes] == [
        ("digest:daily-digest", "done", 3), ("notice:anti-fraud-weekly", "done", 3), ("timers", "done", 0)]
    clock.advance(minutes=5)
    await tick(bot)
    for group in GROUPS:
        assert [m["text"] for m in await bot.sent(group)] == [ANTI_FRAUD[0]]


async def test_weeks_of_notices_rotate_and_digests_arrive_daily(aiohttp_client, config, engine) -> None:  # noqa: ANN001
    clock = FakeClock(local(2026, 11, 2, 8, 0))
    bot = await start_bot(aiohttp_client, config, clock, engine)
    await run_until(bot, clock, local(2026, 11, 23, 12, 0), step=timedelta(hours=1))
    texts = notices_to(engine, "grid-1")
    anti_fraud = [t for t in texts if t in ANTI_FRAUD]
    assert anti_fraud == ANTI_FRAUD[:4]  # four Mondays, four different texts in library order
    assert all(a != b for a, b in zip(texts, texts[1:]))  # never the same text twice in a row
    winter = [n.text for n in library()["winter-co"]]
    assert [t for t in texts if t in winter] == winter  # three Saturdays of November
    assert len([t for t in notices_to(engine, "grid-3") if "防盗" in t]) == 3  # Wednesdays, grid-3 only
    assert not [t for t in texts if "防盗" in t]
    digests = sent_rows(engine, kind="digest", chat_id="officer-1")
    assert len(digests) == 22  # 2026-11-02 … 2026-11-23, one a day
    assert len({row.idempotency_key for row in digests}) == 22


async def test_restart_on_the_same_database_sends_nothing_twice(aiohttp_client, config, tmp_path) -> None:  # noqa: ANN001
    url = f"sqlite:///{tmp_path / 'restart.db'}"
    first_engine = make_engine(url, create=True)
    clock = FakeClock(local(2026, 11, 2, 8, 0))
    first = await start_bot(aiohttp_client, config, clock, first_engine)
    await run_until(first, clock, local(2026, 11, 2, 9, 10))
    await first.client.close()
    first_engine.dispose()

    clock.set(local(2026, 11, 2, 9, 40))  # back within the grace: nothing is owed again
    engine = make_engine(url, create=True)
    second = await start_bot(aiohttp_client, config, clock, engine)
    await tick(second)
    await run_until(second, clock, local(2026, 11, 3, 9, 0))
    assert notices_to(engine, "grid-1") == [ANTI_FRAUD[0]]
    assert len(sent_rows(engine, kind="digest", chat_id="officer-1")) == 2  # Monday and Tuesday 08:30
    engine.dispose()


async def test_a_run_missed_within_the_grace_is_made_up_after_restart(aiohttp_client, config, tmp_path) -> None:  # noqa: ANN001
    url = f"sqlite:///{tmp_path / 'late.db'}"
    clock = FakeClock(local(2026, 11, 1, 12, 0))  # Sunday
    engine = make_engine(url, create=True)
    first = await start_bot(aiohttp_client, config, clock, engine)
    await run_until(first, clock, local(2026, 11, 1, 20, 0))
    await first.client.close()
    clock.set(local(2026, 11, 2, 9, 45))  # down over Monday 09:00, back 45 minutes late
    second = await start_bot(aiohttp_client, config, clock, engine)
    await tick(second)
    assert notices_to(engine, "grid-2") == [ANTI_FRAUD[0]]
    engine.dispose()


async def test_a_run_missed_beyond_the_grace_is_skipped_and_audited(aiohttp_client, config, tmp_path) -> None:  # noqa: ANN001
    url = f"sqlite:///{tmp_path / 'missed.db'}"
    clock = FakeClock(local(2026, 11, 1, 12, 0))
    engine = make_engine(url, create=True)
    first = await start_bot(aiohttp_client, config, clock, engine)
    await run_until(first, clock, local(2026, 11, 1, 20, 0))
    await first.client.close()
    clock.set(local(2026, 11, 2, 11, 0))  # two hours late, grace is 60 minutes
    second = await start_bot(aiohttp_client, config, clock, engine)
    outcomes = await tick(second)
    assert ("notice:anti-fraud-weekly", "skipped") in [(o.job_id, o.status) for o in outcomes]
    assert notices_to(engine, "grid-1") == []
    with new_session(engine) as session:
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "schedule_skipped")).all()
    assert [a.detail for a in audit if "简报" in a.detail] == [
        "每日简报（原定2026-11-02 08:30）错过150分钟，超过补发时限60分钟，未发送"]
    assert any("安全提示·反诈防骗（原定2026-11-02 09:00）" in a.detail for a in audit)
    await run_until(second, clock, local(2026, 11, 3, 8, 30))
    digest = sent_rows(engine, kind="digest", chat_id="officer-1")
    assert len(digest) == 1 and "安全提示·反诈防骗（原定2026-11-02 09:00）" in digest[0].text
    await tick(second)  # the skip is recorded: it is not reported or retried again
    with new_session(engine) as session:
        assert len(session.exec(select(AuditEntry).where(AuditEntry.action == "schedule_skipped")).all()) == 2
    engine.dispose()


async def test_a_second_scheduler_on_the_same_database_sends_nothing_twice(aiohttp_client, config, engine) -> None:  # noqa: ANN001
    clock = FakeClock(local(2026, 11, 2, 8, 0))
    bot = await start_bot(aiohttp_client, config, clock, engine)
    other = Scheduler(engine=engine, executor=None, config=config, clock=clock)
    await tick(bot)
    await other.run_due()
    clock.set(local(2026, 11, 2, 9, 0))
    stale = other.due(clock.now())  # the second process decided before the first one wrote
    await tick(bot)
    outcomes = [other.fire(job, when, now=clock.now()) for when, job in stale]
    assert {o.status for o in outcomes} == {"taken"}
    assert await other.run_due() == []
    assert len(sent_rows(engine, kind="notice")) == 3


async def test_timers_run_every_minute_once(aiohttp_client, config, engine) -> None:  # noqa: ANN001
    clock = FakeClock(local(2026, 11, 4, 10, 0))
    bot = await start_bot(aiohttp_client, config, clock, engine)
    for _ in range(3):
        clock.advance(minutes=1)
        await tick(bot)
        await tick(bot)
    with new_session(engine) as session:
        runs = session.exec(select(JobRun).where(JobRun.job_id == "timers", JobRun.status == "done")).all()
    assert [r.scheduled_for for r in runs] == [local(2026, 11, 4, 10, m) for m in (1, 2, 3)]


async def test_timers_catch_up_with_one_run_after_a_long_stop(aiohttp_client, config, engine) -> None:  # noqa: ANN001
    clock = FakeClock(local(2026, 11, 4, 10, 0))
    bot = await start_bot(aiohttp_client, config, clock, engine)
    await tick(bot)
    clock.advance(hours=5)
    outcomes = [o for o in await tick(bot) if o.job_id == "timers"]
    assert [(o.scheduled_for, o.status) for o in outcomes] == [(local(2026, 11, 4, 15, 0), "done")]


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_the_app_keeps_its_scheduler(aiohttp_client, config, engine) -> None:  # noqa: ANN001
    bot = await start_bot(aiohttp_client, config, FakeClock(), engine)
    assert isinstance(bot.app[SCHEDULER], Scheduler)


async def test_two_processes_firing_at_the_same_moment_send_each_notice_once(config, tmp_path) -> None:  # noqa: ANN001
    url = f"sqlite:///{tmp_path / 'two.db'}"
    clock = FakeClock(local(2026, 11, 2, 8, 0))
    engines = [make_engine(url, create=True), make_engine(url, create=True)]
    with new_session(engines[0]) as session:
        sync_community(session, config=config, now=clock.now(), direct=DIRECT)
        session.commit()
    pools = [ThreadPoolExecutor(max_workers=1) for _ in engines]
    schedulers = [Scheduler(engine=e, executor=p, config=config, clock=clock) for e, p in zip(engines, pools)]
    await asyncio.gather(*(s.run_due() for s in schedulers))
    clock.set(local(2026, 11, 2, 9, 0))
    outcomes = await asyncio.gather(*(s.run_due() for s in schedulers))
    done = [o for result in outcomes for o in result if o.job_id == "notice:anti-fraud-weekly" and o.status == "done"]
    assert len(done) == 1
    assert sorted(row.chat_id for row in sent_rows(engines[0], kind="notice")) == list(GROUPS)
    for pool, engine in zip(pools, engines):
        pool.shutdown()
        engine.dispose()


async def test_a_background_app_starts_and_stops_its_scheduler(aiohttp_client, config, engine) -> None:  # noqa: ANN001
    app = create_app(config, clock=FakeClock(local(2026, 11, 4, 10, 0)), engine=engine, background=True,
                     classifier=FakeClassifier())
    client = await aiohttp_client(app)
    assert isinstance(app[SCHEDULER], Scheduler)
    await client.close()
