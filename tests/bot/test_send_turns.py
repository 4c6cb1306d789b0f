"""The bridge account's send budget is the account's, not each process's: every sending process takes its turn in
the database (bot/send_turns.py), so the hourly budget and the gap between two sends hold across processes —
two outbox senders in one test, threads at one frozen instant, and real processes on a SQLite file and on
PostgreSQL."""
from __future__ import annotations

import asyncio
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import aiohttp
import pytest
from sqlmodel import select

from bot.channels.bridge import BridgeSender
from bot.channels.kit.send_budget import SendBudget
from bot.outbox import OutboxSender
from bot.send_turns import take_turn
from storage import outbox
from storage.db import make_engine, session as new_session
from storage.models import Outbox, SendTurn
from tests.factories import make_engine_for, pg_test_url
from tests.fakes import turn_taker
from tests.fakes.clock import FakeClock
from tests.fakes.senders import ManualPulse

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
BRIDGE = "/bridge/outbound"


def queue(engine, clock, key: str, room: str, kind: str = "broadcast") -> None:  # noqa: ANN001
    with new_session(engine) as s:
        outbox.enqueue(s, now=clock.now(), idempotency_key=key, channel="bridge", chat_id=room,
                       text="【警务提醒】近期冒充客服退款诈骗高发", kind=kind)
        s.commit()


def turns(engine) -> int:  # noqa: ANN001
    with new_session(engine) as s:
        return len(s.exec(select(SendTurn)).all())


async def test_two_senders_keep_one_gap_and_one_hourly_budget_between_them(engine, clock, fake_api):
    pool = ThreadPoolExecutor(max_workers=2)
    async with aiohttp.ClientSession() as http:
        def process(name: str) -> OutboxSender:  # each with its own budget object, as in its own process
            budget = SendBudget(per_hour=2, per_day=10, gap_seconds=(5, 5), clock=clock)
            bridge = BridgeSender(http, outbound_url=f"{fake_api.base_url}{BRIDGE}", secret="bridge-secret",
                                  clock=clock, budget=budget)
            return OutboxSender(engine=engine, executor=pool, clock=clock, senders={"bridge": bridge},
                                pulse=ManualPulse(), instance=name)

        first, second = process("gridbot-1"), process("gridbot-2")
        queue(engine, clock, "b-0", "R:0@chatroom")
        assert await first.drain_once() == 1
        queue(engine, clock, "b-1", "R:1@chatroom")
        assert await second.drain_once() == 0  # the gap first's send drew holds the second process too
        queue(engine, clock, "r-1", "R:2@chatroom", kind="reply")
        assert await second.drain_once() == 1  # a reply is never held, but it counts
        assert fake_api.bridge_keys() == ["b-0", "r-1"] and turns(engine) == 2
        clock.advance(seconds=5)
        assert await second.drain_once() == 0  # the hour's two sends are spent: the broadcast waits for the hour
        assert await first.drain_once() == 0
        clock.advance(minutes=60)
        assert await first.drain_once() + await second.drain_once() == 1
    pool.shutdown(wait=True)
    assert fake_api.bridge_keys() == ["b-0", "r-1", "b-1"]
    with new_session(engine) as s:
        assert {row.idempotency_key: row.status for row in s.exec(select(Outbox))} == {
            "b-0": "sent", "b-1": "sent", "r-1": "sent"}


def test_threads_at_one_instant_get_one_turn_within_the_gap_and_the_hours_budget(tmp_path):
    engine = make_engine_for("sqlite-file", tmp_path)  # one process, several database threads
    clock = FakeClock(turn_taker.FROZEN)

    def taker(account: str, budget_args: dict) -> int:
        budget = SendBudget(per_day=1000, clock=clock, **budget_args)
        return sum(take_turn(engine, budget=budget, message=turn_taker.broadcast(account, n)) is None
                   for n in range(20))

    with ThreadPoolExecutor(max_workers=4) as pool:
        paced = list(pool.map(taker, ["paced"] * 4, [{"per_hour": 1000, "gap_seconds": (10, 10)}] * 4))
        hourly = list(pool.map(taker, ["hourly"] * 4, [{"per_hour": 5, "gap_seconds": (0, 0)}] * 4))
    engine.dispose()
    assert sum(paced) == 1 and sum(hourly) == 5


@pytest.fixture
def db_url(backend, tmp_path):  # noqa: ANN001, ANN201
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'turns.db'}"  # a file: the processes share it
        make_engine(url, create=True).dispose()
        return url
    make_engine_for("postgresql").dispose()  # empty tables in this run's schema
    return pg_test_url()


async def test_processes_on_one_database_share_the_accounts_gap_and_hourly_budget(db_url):
    url = db_url
    takers = [await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.fakes.turn_taker", url, "25", cwd=ROOT,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE) for _ in range(4)]
    for taker in takers:
        assert (await asyncio.wait_for(taker.stdout.readline(), timeout=60)).strip() == b"ready"
    for taker in takers:  # all connected: go at once
        taker.stdin.write(b"go\n")
        await taker.stdin.drain()
    got = [json.loads((await asyncio.wait_for(taker.communicate(), timeout=60))[0]) for taker in takers]
    assert [taker.returncode for taker in takers] == [0] * 4
    assert sum(g["paced"] for g in got) == 1  # one send, then everyone waits for the gap it drew
    assert sum(g["hourly"] for g in got) == 5  # the hour's budget, not five for each process
    engine = make_engine(url)
    with new_session(engine) as s:
        assert len(s.exec(select(SendTurn)).all()) == 6
    engine.dispose()


async def test_a_turn_that_cannot_be_read_sends_nothing_and_the_copy_waits(engine, clock, fake_api):
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text("DROP TABLE sendturn"))  # the account's record unreadable: a real database error
    pool = ThreadPoolExecutor(max_workers=1)
    async with aiohttp.ClientSession() as http:
        budget = SendBudget(per_hour=10, per_day=10, gap_seconds=(0, 0), clock=clock)
        bridge = BridgeSender(http, outbound_url=f"{fake_api.base_url}{BRIDGE}", secret="bridge-secret",
                              clock=clock, budget=budget)
        sender = OutboxSender(engine=engine, executor=pool, clock=clock, senders={"bridge": bridge},
                              pulse=ManualPulse())
        queue(engine, clock, "b-0", "R:0@chatroom")
        assert await sender.drain_once() == 0
    pool.shutdown(wait=True)
    assert fake_api.calls == []
    with new_session(engine) as s:
        row = s.exec(select(Outbox)).one()
        assert row.status == "pending" and "send budget unreadable" in row.last_error
        assert row.attempts == 0  # a wait, not a failed try: a long outage does not fail the copy for good


async def test_a_copy_the_chats_own_limit_holds_back_spends_no_turn(engine, clock, fake_api):
    pool = ThreadPoolExecutor(max_workers=1)
    async with aiohttp.ClientSession() as http:
        budget = SendBudget(per_hour=10, per_day=10, gap_seconds=(0, 0), clock=clock)
        bridge = BridgeSender(http, outbound_url=f"{fake_api.base_url}{BRIDGE}", secret="bridge-secret",
                              clock=clock, budget=budget, per_chat_limit=1, per_seconds=60)
        sender = OutboxSender(engine=engine, executor=pool, clock=clock, senders={"bridge": bridge},
                              pulse=ManualPulse())
        for n in range(3):
            queue(engine, clock, f"r-{n}", "R:0@chatroom", kind="reply")
        assert await sender.drain_once() == 1
        assert await sender.drain_once() == 0  # held by the chat's limit, again and again: no turn for those
        assert turns(engine) == 1
        clock.advance(seconds=60)
        assert await sender.drain_once() == 1
    pool.shutdown(wait=True)
    assert fake_api.bridge_keys() == ["r-0", "r-1"] and turns(engine) == 2
