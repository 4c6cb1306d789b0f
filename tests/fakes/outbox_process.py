"""One outbox process for the multi-process tests: drains DATABASE_URL's outbox to a bridge gateway until no row
is pending, then exits 0. Run: python -m tests.fakes.outbox_process URL OUTBOUND_URL SECRET INSTANCE LEASE_SECONDS BATCH
"""
from __future__ import annotations

import asyncio
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import aiohttp
from sqlalchemy import func, select

from bot.channels.bridge import BridgeSender
from bot.clock import SystemClock
from bot.outbox import OutboxSender
from storage.db import make_engine
from storage.db import session as new_session
from storage.models import Outbox

DEADLINE_SECONDS = 120  # a bounded run whatever happens


def pending(engine) -> int:  # noqa: ANN001
    with new_session(engine) as session:
        return session.execute(select(func.count()).select_from(Outbox).where(Outbox.status == "pending")).scalar()


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
                while pending(engine) and time.monotonic() - started < DEADLINE_SECONDS:
                    if not await box.drain_once():
                        await asyncio.sleep(0.05)  # rows leased by the other processes: look again soon
    finally:
        engine.dispose()
    return 0 if time.monotonic() - started < DEADLINE_SECONDS else 1


if __name__ == "__main__":
    url, outbound_url, secret, instance, lease, batch = sys.argv[1:7]
    sys.exit(asyncio.run(drain(url, outbound_url, secret, instance, float(lease), int(batch))))
