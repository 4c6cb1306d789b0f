"""Retries that wait: a real database outage (SQLite locked by another connection) mid-run loses nothing, a
failing message backs off on the injected clock, is parked after its last try (never marked handled) and comes
back with `gridbot inbox retry`."""
from __future__ import annotations

import os
import random
import sqlite3
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import event, text
from sqlmodel import select

from bot import retrying
from bot.app import create_app
from bot.keys import ENGINE, PIPELINE
from handlers.nlu import classify, decide
from storage import inbox
from storage.db import make_engine, session
from storage.models import Case, Message
from tests.factories import PG_ENV, BotDriver

HELP_CALLS = ["救命 我爸在家摔倒了起不来", "救命 楼道里着火了 好大的烟", "救命 有人拿刀在楼下砍人",
              "救命 我家孩子走丢了 找不到了", "救命 我老婆晕倒了叫不醒"]
DISPUTES = ["楼上天天半夜吵 睡不着", "楼下烧烤店油烟太大了 投诉好几次没人管", "邻居把垃圾堆在楼道里 说了也不听",
            "房东不退押金 怎么办", "隔壁装修噪音太大 每天早上七点就开始"]


class Lock:
    """Another connection holding SQLite's exclusive lock: every write of the bot fails with 'database is locked'."""

    def __init__(self, path: str) -> None:
        self.path, self.conn = path, None

    def take(self) -> None:
        self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.conn.execute("BEGIN EXCLUSIVE")

    def release(self, *_: object) -> None:
        if self.conn is not None:
            self.conn.execute("ROLLBACK")
            self.conn.close()
            self.conn = None


@pytest.fixture
def db_path(tmp_path):  # noqa: ANN001, ANN201
    return str(tmp_path / "gridbot.db")


@pytest.fixture
def engine(db_path):  # noqa: ANN001, ANN201
    engine = make_engine(f"sqlite:///{db_path}", create=True, busy_timeout=0.05)
    yield engine
    engine.dispose()


def rows(bot) -> list[Message]:
    with session(bot.app[ENGINE]) as s:
        return list(s.exec(select(Message).order_by(Message.id)).all())


async def test_database_locked_mid_run_loses_no_accepted_message(bot, db_path, clock):
    for n, said in enumerate(HELP_CALLS + DISPUTES):
        await bot.say("grid-1", f"resident-{n + 1}", said)
    pipeline, lock = bot.app[PIPELINE], Lock(db_path)
    lock.take()
    assert await pipeline.run_once() == 0  # the outage: nothing handled, nothing given up
    assert pipeline.paused_until is not None and pipeline.paused_until > clock.now()
    assert await pipeline.run_once() == 0  # paused on the clock: the database is not hammered
    clock.advance(seconds=3)
    lock.release()
    clock.advance(retrying.step(2))
    await bot.step()
    stored = rows(bot)
    assert all(m.handled_at is not None and m.parked_at is None for m in stored)
    assert all(m.case_id is not None for m in stored)
    with session(bot.app[ENGINE]) as s:
        assert sorted(c.kind for c in s.exec(select(Case)).all()) == ["dispute"] * 5 + ["help"] * 5
    sure = [text for text in HELP_CALLS if decide(classify(text)).action == "public"]  # the rest: a private card
    assert len(sure) >= 4
    assert len([m for m in await bot.sent("grid-1") if "已紧急通知" in m["text"]]) == len(sure)
    assert len([m for m in await bot.sent("officer-1") if "【紧急求助】" in m["text"]]) == 5  # every one alerted


async def test_failed_try_waits_its_backoff_then_is_parked_never_marked_handled(bot, db_path, clock, engine):
    await bot.say("grid-1", "resident-1", HELP_CALLS[0])
    pipeline, lock = bot.app[PIPELINE], Lock(db_path)
    pipeline.rng = random.Random(7)
    event.listen(engine, "handle_error", lock.release)  # the outage ends right after the bot's write failed
    for attempt in range(1, retrying.TRANSIENT_TRIES + 1):
        lock.take()
        started = clock.now()
        assert await pipeline.run_once() == 1
        message = rows(bot)[0]
        assert message.attempts == attempt and message.handled_at is None and "locked" in message.error
        if attempt == retrying.TRANSIENT_TRIES:
            break
        wait = message.next_attempt_at - started
        assert retrying.step(attempt) / 2 <= wait <= retrying.step(attempt)
        lock.take()
        clock.advance(wait - timedelta(seconds=1))
        assert await pipeline.run_once() == 0  # not yet due: not tried
        lock.release()
        clock.advance(seconds=1)
    event.remove(engine, "handle_error", lock.release)
    parked = rows(bot)[0]
    assert parked.parked_at == clock.now() and parked.handled_at is None and parked.case_id is None
    clock.advance(hours=1)
    assert await pipeline.run_once() == 0  # parked: left alone
    with session(engine) as s:
        assert [m.id for m in inbox.parked_messages(s)] == [parked.id]
        assert inbox.unpark(s, ids=None) == [parked.id]
        s.commit()
    await bot.step()
    done = rows(bot)[0]
    assert done.handled_at is not None and done.parked_at is None and done.case_id is not None


def test_schedule_is_exponential_capped_and_spans_minutes():
    steps = retrying.schedule()
    assert steps[0] == timedelta(seconds=5) and max(steps) == retrying.CAP
    assert all(b >= a for a, b in zip(steps, steps[1:]))
    assert timedelta(minutes=30) <= sum(steps, timedelta()) / 2  # even the shortest jitter spans half an hour
    rng = random.Random(1)
    waits = {retrying.delay(3, rng) for _ in range(50)}
    assert len(waits) > 40 and all(retrying.step(3) / 2 <= w <= retrying.step(3) for w in waits)


@pytest.fixture
def private_pg():  # noqa: ANN201
    """A PostgreSQL database of this test alone, so that the outage below touches no one else's."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"PostgreSQL run skipped: set {PG_ENV}")
    name = f"gridbot_outage_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url, create=False).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(url.rsplit("/", 1)[0] + f"/{name}", create=True)
    yield admin, name, engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def pg_outage(admin, name: str, *, down: bool) -> None:  # noqa: ANN001
    """The database refuses new connections and drops the open ones (down), or takes them again."""
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {"false" if down else "true"}'))
        if down:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})


@pytest.mark.postgres
async def test_postgres_outage_mid_run_loses_no_accepted_message(aiohttp_client, config, clock, private_pg):
    admin, name, engine = private_pg
    bot = BotDriver(await aiohttp_client(create_app(config, clock=clock, engine=engine, background=False)))
    for n, said in enumerate(HELP_CALLS + DISPUTES):
        await bot.say("grid-1", f"resident-{n + 1}", said)
    pipeline = bot.app[PIPELINE]
    pg_outage(admin, name, down=True)
    assert await pipeline.run_once() == 0
    assert pipeline.paused_until is not None
    clock.advance(seconds=3)
    pg_outage(admin, name, down=False)
    clock.advance(retrying.step(2))
    await bot.step()
    stored = rows(bot)
    assert len(stored) == 10 and all(m.handled_at is not None and m.case_id is not None for m in stored)
    sure = [text for text in HELP_CALLS if decide(classify(text)).action == "public"]  # the rest: a private card
    assert len(sure) >= 4
    assert len([m for m in await bot.sent("grid-1") if "已紧急通知" in m["text"]]) == len(sure)
    assert len([m for m in await bot.sent("officer-1") if "【紧急求助】" in m["text"]]) == 5  # every one alerted
