"""Inbound hot path: POST /sandbox/messages → stored (deduplicated) → 200, on file SQLite in WAL mode.

Run: .venv/bin/python -m bench.inbound_bench [N] [CONCURRENCY]
Client and server share one process and one event loop here, so the figures are a floor, not wrk's.
"""
from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.config import load_config
from storage.db import make_engine

ROOT = Path(__file__).resolve().parent.parent


class NoClassifier:
    """The benchmark measures storing, not classifying: the worker is not run."""

    def set_scam_words(self, words):  # noqa: ANN001, ANN201
        pass


async def run(n: int, concurrency: int) -> dict:
    config = load_config(ROOT / "config.toml", environ={})
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db", create=True)
        server = TestServer(create_app(config, engine=engine, background=False, classifier=NoClassifier()))
        await server.start_server()
        url = str(server.make_url("/sandbox/messages"))
        latencies: list[float] = []
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(n):
            queue.put_nowait(i)

        async def worker(session: aiohttp.ClientSession) -> None:
            while not queue.empty():
                i = queue.get_nowait()
                body = {"group_id": "grid-2", "sender_id": f"resident-{i % 50}", "text": "楼上半夜很吵",
                        "msg_id": f"bench-{i}"}
                t0 = time.perf_counter()
                async with session.post(url, json=body) as resp:
                    assert resp.status == 200
                    await resp.read()
                latencies.append(time.perf_counter() - t0)

        async with aiohttp.ClientSession() as session:
            started = time.perf_counter()
            await asyncio.gather(*(worker(session) for _ in range(concurrency)))
            elapsed = time.perf_counter() - started
        await server.close()
        engine.dispose()
    latencies.sort()
    return {"requests": n, "concurrency": concurrency, "req_per_s": round(n / elapsed),
            "median_ms": round(statistics.median(latencies) * 1000, 2),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2)}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    concurrency = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    print("inbound", asyncio.run(run(n, concurrency)))


if __name__ == "__main__":
    main()
