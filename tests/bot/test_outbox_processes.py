"""Real processes share one outbox (file SQLite or PostgreSQL) and a slow gateway on loopback: each send takes
longer than a whole lease and a batch several leases, and still every row reaches the gateway exactly once."""
from __future__ import annotations

import asyncio
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlmodel import select

from storage import outbox
from storage.db import make_engine, session
from storage.models import Outbox
from tests.factories import make_engine_for, pg_test_url
from tests.fakes.wechat_api import FakeWechatApi

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
ROWS, PROCESSES, BATCH = 8, 3, 2
LEASE_SECONDS, SEND_SECONDS = 1.5, 2.0  # without renewals, the idle processes would take over rows being sent


@pytest.fixture
def db_url(backend, tmp_path):  # noqa: ANN001, ANN201
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'outbox.db'}"  # a file: the processes share it
    make_engine_for("postgresql").dispose()  # empty tables in this run's schema
    return pg_test_url()


def fill_outbox(url: str) -> None:
    engine = make_engine(url, create=True)
    now = datetime.now(timezone.utc)
    with session(engine) as s:
        for i in range(ROWS):
            outbox.enqueue(s, now=now, idempotency_key=f"outbox-{i}", channel="bridge", chat_id=f"R:{i}@chatroom",
                           text=f"已收到，工单号 {i}。", kind="alert" if i % 5 == 0 else "reply")
        s.commit()
    engine.dispose()


def statuses(url: str) -> Counter:
    engine = make_engine(url)
    with session(engine) as s:
        found = Counter(row.status for row in s.exec(select(Outbox)).all())
    engine.dispose()
    return found


async def test_processes_on_one_database_deliver_every_row_once_through_a_slow_gateway(db_url):
    fill_outbox(db_url)
    gateway = FakeWechatApi()
    base = await gateway.start()
    gateway.bridge_delay = SEND_SECONDS
    try:
        workers = [await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.fakes.outbox_process", db_url, f"{base}/bridge/outbound",
            gateway.bridge_secret, f"worker-{n}", str(LEASE_SECONDS), str(BATCH), cwd=ROOT) for n in range(PROCESSES)]
        codes = [await asyncio.wait_for(worker.wait(), timeout=100) for worker in workers]
    finally:
        await gateway.close()
    assert codes == [0] * PROCESSES
    assert Counter(gateway.bridge_keys()) == {f"outbox-{i}": 1 for i in range(ROWS)}
    assert statuses(db_url) == {"sent": ROWS} and gateway.errors == []
