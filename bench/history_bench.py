"""Handling cost against the size of history: the same new messages handled on a database holding SMALL and then
LARGE past messages (with their replies, cases and case events), and every statement the handling ran whose
SQLite query plan scans a whole table.

Run: .venv/bin/python -m bench.history_bench [LARGE]   (default 200,000; the issue's figure is 1,000,000)
Each run: a file SQLite database (WAL) with the demo community; history spread over the past 180 days across its
groups and 300 residents (one case per 8 messages, most closed; one reply per 2); then 300 new messages of every
kind from those residents, stored and handled (no sending), costed in CPU time of the process (a busy machine
slows the wall clock of both runs unevenly). The baseline is the SMALL database of the same run.
"""
from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from aiohttp.test_utils import TestServer
from sqlalchemy import event, insert, text

from bot.app import create_app
from bot.clock import SystemClock
from bot.config import load_config
from bot.keys import PIPELINE
from handlers.message import GroupMessage
from handlers.nlu.classifier import Classifier
from storage.db import make_engine
from storage.models import Case, CaseEvent, ChatGroup, Message, Outbox

ROOT = Path(__file__).resolve().parent.parent
SMALL = 10_000
NEW = 300
RESIDENTS = 300
TEXTS = ["大家早上好", "收到，谢谢", "请问办居住证要带什么材料", "楼上天天半夜装修吵得睡不着 8栋", "派出所几点上班",
         "有人冒充客服说我的快递丢了要理赔 让我下载app共享屏幕", "好的👌", "隔壁邻居的狗天天叫 3栋", "今天菜价又涨了",
         "孩子办身份证需要什么", "有人打电话说是公检法要我转账到安全账户", "楼道里堆满了杂物 物业也不管"]
BIG_TABLES = ("message", "outbox", "case", "caseevent")


def seed(engine, n: int, now) -> None:  # noqa: ANN001
    rng = random.Random(7)
    with engine.begin() as conn:
        groups = [(g.id, g.chat_id, g.grid_id) for g in conn.execute(ChatGroup.__table__.select())]
        for start in range(0, n, 20_000):
            messages, outbox, cases, events = [], [], [], []
            for i in range(start, min(n, start + 20_000)):
                gid, chat, grid = groups[i % len(groups)]
                at = now - timedelta(days=180 * (n - i) / n, seconds=30)
                sender = f"old-resident-{rng.randrange(RESIDENTS)}"
                messages.append({"channel": "sandbox", "channel_msg_id": f"old-{i}", "chat_id": chat,
                                 "sender_id": sender, "text": rng.choice(TEXTS), "reply_hint": {}, "sent_at": at,
                                 "received_at": at, "handled_at": at, "intent": "chatter", "kind": "text"})
                if i % 2 == 0:
                    outbox.append({"idempotency_key": f"old-{i}", "channel": "sandbox", "chat_id": chat,
                                   "text": "已收到您反映的问题，请保持电话畅通。", "mentions": [], "reply_hint": {},
                                   "status": "sent", "next_attempt_at": at, "created_at": at, "sent_at": at})
                if i % 8 == 0:
                    cases.append({"kind": "dispute", "subtype": "noise", "status": "closed" if i % 80 else "open",
                                  "grid_id": grid, "group_id": gid, "reporter_id": sender, "text": "噪音",
                                  "assignee_id": "officer-1", "created_at": at, "updated_at": at})
            conn.execute(insert(Message), messages)
            conn.execute(insert(Outbox), outbox)
            if cases:
                first = conn.execute(insert(Case).returning(Case.id), cases).scalars().all()
                events = [{"case_id": cid, "at": now, "actor_id": "gridbot", "action": "opened", "detail": ""}
                          for cid in first]
                conn.execute(insert(CaseEvent), events)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))


async def measure(config, classifier, history: int) -> tuple[float, set[str]]:  # noqa: ANN001
    clock = SystemClock()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/history.db", create=True)
        server = TestServer(create_app(config, clock=clock, engine=engine, background=False, classifier=classifier))
        await server.start_server()
        seed(engine, history, clock.now())
        statements: set[str] = set()
        event.listen(engine, "before_cursor_execute",
                     lambda conn, cursor, stmt, params, context, many: statements.add(stmt))
        pipeline = server.app[PIPELINE]
        rng = random.Random(11)
        chats = ["grid-1", "grid-2", "grid-3"]
        for i in range(NEW):
            await pipeline.accept(GroupMessage(channel="sandbox", chat_id=chats[i % 3], text=rng.choice(TEXTS),
                                               sender_id=f"old-resident-{rng.randrange(RESIDENTS)}",
                                               channel_msg_id=f"new-{i}", sent_at=clock.now()))
        loop = asyncio.get_running_loop()
        started = time.process_time()  # CPU time of the process: what handling costs, not what others take
        while await loop.run_in_executor(pipeline.executor, pipeline.process_next):
            pass
        per_message = (time.process_time() - started) / NEW
        scans = scanning(engine, statements)
        await server.close()
        engine.dispose()
    return per_message, scans


def scanning(engine, statements: set[str]) -> set[str]:  # noqa: ANN001
    """The statements whose plan scans one of the big tables (no index narrows it)."""
    found = set()
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        for stmt in statements:
            if not stmt.lstrip().upper().startswith("SELECT"):
                continue
            try:
                plan = raw.execute("EXPLAIN QUERY PLAN " + stmt, [None] * stmt.count("?")).fetchall()
            except Exception:  # noqa: BLE001 - a statement that needs typed parameters: not judged here
                continue
            for row in plan:
                detail = row[-1]
                if detail.startswith("SCAN ") and detail.split()[1].strip('"') in BIG_TABLES \
                        and "USING" not in detail:
                    flat = " ".join(stmt.split())
                    where = flat.find(" FROM ")
                    found.add(f"{detail}: …{flat[where:where + 300]}")
    return found


async def run(large: int) -> None:
    config = load_config(ROOT / "config.toml", environ={})
    classifier = Classifier()
    classifier.warm_up()  # jieba and the model load before either run is timed
    small_cost, _ = await measure(config, classifier, SMALL)
    large_cost, scans = await measure(config, classifier, large)
    print(f"history {SMALL:,} stored messages: {small_cost * 1000:.2f} ms a message (baseline)")
    print(f"history {large:,} stored messages: {large_cost * 1000:.2f} ms a message, "
          f"{large_cost / small_cost:.2f} x baseline (target: within 1.2 x)")
    print(f"statements scanning a whole big table: {len(scans)}")
    for line in sorted(scans):
        print("  " + line)


def main() -> None:
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000))


if __name__ == "__main__":
    main()
