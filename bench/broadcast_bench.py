"""A city-size broadcast: `/confirm` of `/broadcast all` to every group of the city roster (bench/city_roster.py,
6,702 grids, one bridge group each), then its delivery through the bridge to a gateway on loopback.

Enqueue: the confirm (outbox rows and delivery rows in one transaction, two INSERT … SELECT) next to the former
way (one ORM row per group, flushed for its id), against a baseline of the same run: the same number of plain rows
written with one executemany into a scratch table; and the longest wait of a message being stored (the inbox
insert that answers a webhook) while each confirm holds the SQLite write lock.

Delivery: the outbox sender with the real bridge sender and its pacing (a random gap of 0.5–1.5 s between sends,
seeded) to a fake gateway on 127.0.0.1 that refuses 10 % of the calls with 503 at random (seeded), on a stepped
clock (the sender waits for nothing: the clock jumps to the next row due). Every call to the gateway spends a gap,
so the rate-limit bound is (calls at the gateway) × (mean gap); the gateway counts what it delivered by
idempotency key (lost: never delivered; duplicated: delivered twice).

Run: .venv/bin/python -m bench.broadcast_bench [GRIDS] [DELIVER]   (defaults 6702 and 1000 groups delivered)
"""
from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from bench.city_roster import city_files
from bot.channels.bridge import BridgeSender
from bot.channels.kit.send_budget import SendBudget
from bot.outbox import OutboxSender
from handlers import broadcasting, texts
from storage import broadcasts, inbox, migrate, outbox
from storage import groups as store_groups
from storage.db import make_engine
from storage.db import session as new_session
from storage.models import Broadcast, Outbox

GAP = (0.5, 1.5)
FAILURE_RATE = 0.10
SECRET = "bench-bridge-secret"


class SteppedClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self.at


def build_city(folder: Path, n_grids: int):  # noqa: ANN201
    from bot.importing import run_import

    engine = make_engine(f"sqlite:///{folder}/city.db")
    migrate.upgrade(engine)
    for kind, path in city_files(folder, n_grids, n_grids):
        ok, out = run_import(engine, kind=kind, path=path, dry_run=False, now=datetime.now(timezone.utc))
        assert ok, out
    return engine


def draft_all(engine, now: datetime) -> int:  # noqa: ANN001
    with new_session(engine) as s:
        found, _ = broadcasting.draft(s, actor_id="o0", targets=["all"], text="近期冒充客服退款诈骗高发，请勿转账", now=now)
        s.commit()
        return found.id


def confirm_one_by_one(session, broadcast_id: int, now: datetime) -> int:  # noqa: ANN001
    """The confirm as it was: an ORM outbox row per group, flushed for its id, then its delivery row."""
    found = session.get(Broadcast, broadcast_id)
    groups = store_groups.groups_of_targets(session, targets=found.targets)
    for group in groups:
        row = outbox.enqueue(session, now=now, idempotency_key=f"broadcast-{found.id}-{group.id}", kind="broadcast",
                             channel=group.channel, chat_id=group.chat_id,
                             text=texts.BROADCAST_TEXT.format(text=found.text))
        session.flush()
        broadcasts.add_delivery(session, broadcast_id=found.id, group_id=group.id, outbox_id=row.id, now=now)
    broadcasts.mark_sent(session, draft=found, confirmed_by="o0", now=now)
    return len(groups)


def confirm_bulk(session, broadcast_id: int, now: datetime) -> int:  # noqa: ANN001
    return broadcasting.confirm(session, broadcast_id=broadcast_id, actor_id="o0", now=now)[1]


def timed_with_acks(engine, confirm) -> tuple[float, int, float]:  # noqa: ANN001
    """(seconds the confirm took, groups, the longest wait of a message stored meanwhile)."""
    now = datetime.now(timezone.utc)
    broadcast_id = draft_all(engine, now)
    done, waits = threading.Event(), []

    def acks() -> None:
        i = 0
        while not done.is_set():
            t0 = time.perf_counter()
            with engine.begin() as conn:
                inbox.store_message(conn, values=inbox.message_values(
                    channel="bridge", channel_msg_id=f"ack-{broadcast_id}-{i}", chat_id="room-1", sender_id="r1",
                    text="收到", sent_at=now, received_at=now))
            waits.append(time.perf_counter() - t0)
            i += 1
            time.sleep(0.005)

    ack_thread = threading.Thread(target=acks)
    ack_thread.start()
    time.sleep(0.05)
    t0 = time.perf_counter()
    with new_session(engine) as s:
        n = confirm(s, broadcast_id, now)
        s.commit()
    elapsed = time.perf_counter() - t0
    done.set()
    ack_thread.join()
    return elapsed, n, max(waits)


def plain_rows_baseline(engine, n: int) -> float:  # noqa: ANN001
    table = Table(f"bench_plain_{time.time_ns()}", MetaData(), Column("id", Integer, primary_key=True),
                  Column("key", String, unique=True), Column("text", String))
    table.create(engine)
    t0 = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(insert(table), [{"key": f"k-{i}", "text": "【警务提醒】近期冒充客服退款诈骗高发"} for i in range(n)])
    elapsed = time.perf_counter() - t0
    table.drop(engine)
    return elapsed


def enqueue_lines(engine) -> list[str]:  # noqa: ANN001
    old, n, old_wait = timed_with_acks(engine, confirm_one_by_one)
    runs = sorted(timed_with_acks(engine, confirm_bulk) for _ in range(3))  # three broadcasts, one after another
    new, n2, _ = runs[1]
    new_wait = max(wait for _, _, wait in runs)
    base = min(plain_rows_baseline(engine, n) for _ in range(3))
    assert n == n2
    return [f"baseline: {n} plain rows, one executemany insert: {base * 1000:.0f} ms",
            f"confirm, one ORM row per group (before): {old:.2f} s = {old / base:.1f} × baseline; longest wait of a "
            f"message being stored meanwhile {old_wait:.2f} s",
            f"confirm, two INSERT … SELECT (now), median of 3: {new:.3f} s = {new / base:.1f} × baseline "
            f"({old / new:.1f}× faster; runs {', '.join(f'{r[0]:.3f}' for r in runs)} s); longest wait of a message "
            f"being stored meanwhile {new_wait:.3f} s"]


class FlakyGateway:
    """The bridge's outbound endpoint on loopback: refuses a share of the calls with 503 (nothing delivered),
    delivers the rest, and counts deliveries by idempotency key."""

    def __init__(self, failure_rate: float, seed: int) -> None:
        self.rng, self.failure_rate = random.Random(seed), failure_rate
        self.calls, self.refused, self.delivered = 0, 0, Counter()

    async def outbound(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.calls += 1
        if self.rng.random() < self.failure_rate:
            self.refused += 1
            return web.Response(status=503, text="busy")
        self.delivered[body["idempotency_key"]] += 1
        return web.json_response({"ok": True})


async def deliver(engine, clock: SteppedClock, gateway: FlakyGateway,  # noqa: ANN001
                  n_groups: int) -> tuple[float, int]:
    app = web.Application()
    app.router.add_post("/outbound", gateway.outbound)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # noqa: SLF001
    pool = ThreadPoolExecutor(max_workers=1)
    start, steps = clock.at, 0
    try:
        async with aiohttp.ClientSession() as http:
            budget = SendBudget(per_hour=3600, per_day=20000, gap_seconds=GAP, clock=clock, rng=random.Random(5))
            bridge = BridgeSender(http, outbound_url=f"http://127.0.0.1:{port}/outbound", secret=SECRET, clock=clock,
                                  budget=budget, per_chat_limit=20)
            sender = OutboxSender(engine=engine, executor=pool, clock=clock, senders={"bridge": bridge},
                                  instance="bench")
            while True:
                steps += 1
                await sender.drain_once()
                with new_session(engine) as s:
                    due = s.execute(select(func.min(Outbox.next_attempt_at)).where(Outbox.status == "pending")).scalar()
                if due is None:
                    break
                # what run_forever waits for: the end of the account's pause (every row here is held by it), else
                # the next row due
                pause = sender.pause_left(float("inf"))
                clock.at = max(clock.at, due) if pause == float("inf") else clock.at + timedelta(seconds=pause)
                if steps > 20 * n_groups:
                    raise RuntimeError("the broadcast did not finish")
    finally:
        pool.shutdown(wait=True)
        await runner.cleanup()
    last = max_sent_at(engine)
    return (last - start).total_seconds(), steps


def max_sent_at(engine) -> datetime:  # noqa: ANN001
    with new_session(engine) as s:
        return s.execute(select(func.max(Outbox.sent_at))).scalar()


def delivery_lines(folder: Path, n_groups: int) -> list[str]:
    (folder / "deliver").mkdir(exist_ok=True)
    engine = build_city(folder / "deliver", n_groups)
    clock = SteppedClock()
    broadcast_id = draft_all(engine, clock.now())
    with new_session(engine) as s:
        n = confirm_bulk(s, broadcast_id, clock.now())
        s.commit()
    gateway = FlakyGateway(FAILURE_RATE, seed=3)
    t0 = time.perf_counter()
    took, steps = asyncio.run(deliver(engine, clock, gateway, n))
    wall = time.perf_counter() - t0
    with new_session(engine) as s:
        keys = set(s.execute(select(Outbox.idempotency_key).where(Outbox.kind == "broadcast")).scalars())
        failed = s.execute(select(func.count()).select_from(Outbox).where(Outbox.status == "failed")).scalar()
    engine.dispose()
    lost = len(keys - set(gateway.delivered))
    duplicated = sum(1 for count in gateway.delivered.values() if count > 1)
    bound = gateway.calls * sum(GAP) / 2
    return [f"deliver {n} groups through the bridge, pacing {GAP[0]}–{GAP[1]} s, {FAILURE_RATE:.0%} of calls refused "
            f"(503): {gateway.calls} calls ({gateway.refused} refused), lost {lost}, duplicated {duplicated}, "
            f"failed for good {failed}",
            f"  simulated time {took:.0f} s; rate-limit bound {bound:.0f} s (calls × mean gap) → {took / bound:.3f} × "
            f"bound (without the refusals: {n * sum(GAP) / 2:.0f} s); {steps} drain steps in {wall:.1f} s wall"]


def main() -> None:
    n_grids = int(sys.argv[1]) if len(sys.argv) > 1 else 6702
    n_deliver = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        engine = build_city(folder, n_grids)
        for line in enqueue_lines(engine):
            print(line)
        engine.dispose()
        for line in delivery_lines(folder, n_deliver):
            print(line)


if __name__ == "__main__":
    main()
