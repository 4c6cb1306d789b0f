"""Another resident's call for help under a flood: how long until it is handled, and how many public messages of
the bot queue ahead of its acknowledgement in that group.

Run: .venv/bin/python -m bench.flood_bench [N]
Each scenario starts from an empty file SQLite database (WAL) with the demo community; N messages from one sender
are stored in grid-1, then one call for help from another resident; the worker handles everything (no sending).
The baseline, measured in the same run, is the call for help alone. "queued ahead" is the number of the bot's
public messages to grid-1 written before the acknowledgement: on the bridge, which sends at most 20 messages a
chat a minute, each of them is three seconds more before the acknowledgement reaches the group.
"""
from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from aiohttp.test_utils import TestServer
from sqlmodel import select

from bot.app import create_app
from bot.clock import SystemClock
from bot.config import load_config
from bot.keys import PIPELINE
from handlers.message import GroupMessage
from handlers.nlu.classifier import Classifier
from storage.db import make_engine
from storage.db import session as new_session
from storage.models import Message, Outbox

ROOT = Path(__file__).resolve().parent.parent
HELP = "救命 我爸在家摔倒了起不来 头上流血了"
BRIDGE_SECONDS_PER_MESSAGE = 3.0  # 20 a chat a minute
SCENARIOS = {
    "baseline (no flood)": lambda n: [],
    "identical scam text": lambda n: ["有人冒充客服说我的快递丢了要理赔 让我下载app共享屏幕"] * n,
    "identical help call": lambda n: ["救命 楼道里着火了 好大的烟"] * n,
    "distinct scam texts": lambda n: [f"第{i}次了 有人冒充客服说快递丢了要理赔 让我下载app共享屏幕" for i in range(n)],
}


async def scenario(config, classifier, texts: list[str]) -> dict:  # noqa: ANN001
    clock = SystemClock()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db", create=True)
        server = TestServer(create_app(config, clock=clock, engine=engine, background=False, classifier=classifier))
        await server.start_server()
        pipeline = server.app[PIPELINE]
        for i, text in enumerate(texts):
            await pipeline.accept(message(f"flood-{i}", "resident-1", text, clock))
        help_id = await pipeline.accept(message("help-1", "resident-2", HELP, clock))
        started = time.perf_counter()
        while await asyncio.get_running_loop().run_in_executor(pipeline.executor, pipeline.process_next):
            if handled(engine, help_id):
                break
        seconds = time.perf_counter() - started
        with new_session(engine) as s:
            public = s.exec(select(Outbox).where(Outbox.chat_id == "grid-1", Outbox.is_direct.is_(False))
                            .order_by(Outbox.id)).all()
            ack = next(i for i, row in enumerate(public) if row.idempotency_key.startswith(f"msg-{help_id}-"))
        await server.close()
        engine.dispose()
    return {"flood": len(texts), "handled_after_s": round(seconds, 3), "queued_ahead": ack,
            "ack_on_bridge_after_s": round(seconds + ack * BRIDGE_SECONDS_PER_MESSAGE, 1)}


def message(msg_id: str, sender: str, text: str, clock: SystemClock) -> GroupMessage:
    return GroupMessage(channel="sandbox", chat_id="grid-1", sender_id=sender, text=text, channel_msg_id=msg_id,
                        sent_at=clock.now())


def handled(engine, message_id: int) -> bool:  # noqa: ANN001
    with new_session(engine) as s:
        return s.get(Message, message_id).handled_at is not None


async def run(n: int) -> list[tuple[str, dict]]:
    config = load_config(ROOT / "config.toml", environ={})
    classifier = Classifier()
    return [(name, await scenario(config, classifier, make(n))) for name, make in SCENARIOS.items()]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    results = asyncio.run(run(n))
    base = results[0][1]["handled_after_s"] or 1e-9
    for name, figures in results:
        print(f"flood {name}: {figures}, {figures['handled_after_s'] / base:.1f} x baseline")


if __name__ == "__main__":
    main()
