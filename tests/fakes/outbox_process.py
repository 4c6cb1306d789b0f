"""One outbox process for the multi-process tests: drains DATABASE_URL's outbox to a bridge gateway until no row
is pending, then exits 0. Run: python -m tests.fakes.outbox_process URL OUTBOUND_URL SECRET INSTANCE LEASE_SECONDS BATCH

With nothing to claim, the process does not poll: the rows left are leased by the other processes, and the next
moment one can be claimed is when the first of those leases runs out (unless it is renewed, or its row settled).
The process waits for exactly that moment, read from the database, then tries again; with no pending row left, it
ends. So every lease a holder failed to renew is tried by the idle processes as soon as it lapses.
"""
from __future__ import annotations

import asyncio
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import aiohttp
from sqlalchemy import select

from bot.channels.bridge import BridgeSender
from bot.clock import SystemClock
from bot.outbox import OutboxSender
from storage.db import make_engine
from storage.db import session as new_session
from storage.models import Outbox

DEADLINE_SECONDS = 120  # a bounded run whatever happens


def first_lease_end(engine) -> datetime | None:  # noqa: ANN001
    """When the first pending row is due (a leased row: when its lease runs out); None with no row pending.

    FOR KEY SHARE (PostgreSQL) waits for a claim in flight, whose FOR UPDATE it conflicts with, so a row being taken
    this instant is read with its new lease rather than as still due; renewals and settlements (plain UPDATEs) neither
    wait for it nor make it wait, and a claim skips the rows it holds, so it never deadlocks. SQLite needs nothing: a
    claim that found nothing waited for the write lock, so the claim it met has committed."""
    with new_session(engine) as session:
        due = session.execute(select(Outbox.next_attempt_at).where(Outbox.status == "pending")
                              .with_for_update(read=True, key_share=True)).scalars().all()
    return min(due, default=None)


async def drain(url: str, outbound_url: str, secret: str, instance: str, lease: float, batch: int) -> int:
    engine, clock = make_engine(url), SystemClock()
    started = time.monotonic()
    try:
        async with aiohttp.ClientSession() as http:
            bridge = BridgeSender(http, outbound_url=outbound_url, secret=secret, clock=clock, timeout=30,
                                  per_chat_limit=1000)
            with ThreadPoolExecutor(max_workers=1) as pool:
                box = OutboxSender(engine=engine, executor=pool, clock=clock, senders={"bridge": bridge},
                                   lease=timedelta(seconds=lease), instance=instance, batch=batch)
                while (left := DEADLINE_SECONDS - (time.monotonic() - started)) > 0:
                    if await box.drain_once():
                        continue
                    lease_end = first_lease_end(engine)
                    if lease_end is None:
                        break
                    await asyncio.sleep(min(left, max(0.0, (lease_end - clock.now()).total_seconds())))
    finally:
        engine.dispose()
    return 0 if time.monotonic() - started < DEADLINE_SECONDS else 1


if __name__ == "__main__":
    url, outbound_url, secret, instance, lease, batch = sys.argv[1:7]
    sys.exit(asyncio.run(drain(url, outbound_url, secret, instance, float(lease), int(batch))))
