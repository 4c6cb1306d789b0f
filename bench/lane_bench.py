"""The worker's throughput, and how soon a fraud warning reaches its group under a load of other messages.

Run: .venv/bin/python -m bench.lane_bench [SECONDS]   (default 8; SQLite, and PostgreSQL too when
GRIDBOT_BENCH_DATABASE_URL is set, e.g. postgresql://postgres@127.0.0.1:5432/test: a schema of its own, dropped
afterwards). The demo community with 20 extra sandbox groups per grid (63 groups).

(a) throughput: 3,000 stored messages (mostly chatter, some inquiries, disputes, fraud reports and calls for help,
from 300 residents across the groups) handled by the worker, one message a claim (batch 1) and 16 a claim (the
default), in CPU seconds of this process; the baseline, measured in the same run, is the classifier alone on the
same texts (the part of handling no claim can save).
(b) fraud warning latency: chatter accepted at 500 messages a second for SECONDS seconds with a fraud report every
0.2 s in a group not yet warned, the worker and the outbox sender running as in `gridbot serve` (the sandbox
sender records when each row is sent); the time from the report's accept to its public warning being sent, p50 /
p99 / max. The baseline is the same report with no other traffic.
"""
from __future__ import annotations

import asyncio
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from aiohttp.test_utils import TestServer
from sqlalchemy import text as sql

from bot.app import create_app
from bot.clock import SystemClock
from bot.config import load_config
from bot.keys import OUTBOX, PIPELINE
from handlers.message import GroupMessage
from handlers.nlu.classifier import Classifier
from storage import migrate
from storage.db import make_engine

ROOT = Path(__file__).resolve().parent.parent
EXTRA_GROUPS = 20
RESIDENTS = 300
STORED = 3000
RATE = 500
FRAUD_EVERY = 0.2
FRAUD = "有人冒充客服说我的快递丢了要理赔 让我下载app共享屏幕"
CHATTER = ["大家早上好", "收到，谢谢", "好的👌", "今天菜价又涨了", "晚上一起去广场跳舞吗", "谢谢网格员", "辛苦了",
           "明天下雨记得收衣服", "楼下的快递柜满了", "哈哈哈"]
OTHERS = ["请问办居住证要带什么材料", "楼上天天半夜装修吵得睡不着 8栋", "派出所几点上班", FRAUD,
          "救命 楼道里着火了 好大的烟", "隔壁邻居的狗天天叫 3栋", "孩子办身份证需要什么"]


class RecordingSender:
    """The sandbox sender, noting when each row was sent (perf_counter)."""

    channel = "sandbox"

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}

    async def send(self, message) -> None:  # noqa: ANN001
        if not message.is_direct:
            self.sent[message.idempotency_key] = time.perf_counter()


def write_config(folder: Path) -> Path:
    """The demo config with EXTRA_GROUPS more sandbox groups in each grid."""
    raw = (ROOT / "config.toml").read_text(encoding="utf-8")

    def more(match: re.Match) -> str:
        grid = match.group(1)
        extra = "".join(f', {{ channel = "sandbox", chat_id = "{grid}-{k}", name = "{grid}-{k}群" }}'
                        for k in range(EXTRA_GROUPS))
        return match.group(0)[:-1] + extra + "]"

    raw = re.sub(r'^groups = \[\{ channel = "sandbox", chat_id = "(grid-\d)".*\}\]$', more, raw, flags=re.M)
    path = folder / "lane.toml"
    path.write_text(raw, encoding="utf-8")
    return path


def groups(config) -> list[str]:  # noqa: ANN001
    return [g.chat_id for grid in config.grids for g in grid.groups if g.channel == "sandbox"]


def message(chat: str, sender: str, text: str, msg_id: str, clock: SystemClock) -> GroupMessage:
    return GroupMessage(channel="sandbox", chat_id=chat, sender_id=sender, text=text, channel_msg_id=msg_id,
                        sent_at=clock.now())


class Database:
    """A fresh database for one scenario: a SQLite file, or a PostgreSQL schema of this process."""

    def __init__(self, backend: str, folder: Path, n: int) -> None:
        self.backend, self.schema = backend, f"lane_bench_{os.getpid()}_{n}"
        if backend == "sqlite":
            self.engine = make_engine(f"sqlite:///{folder}/lane-{n}.db", create=True)
            return
        url = os.environ["GRIDBOT_BENCH_DATABASE_URL"]
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.execute(sql(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE; CREATE SCHEMA {self.schema}"))
        admin.dispose()
        self.engine = make_engine(f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{self.schema}")
        migrate.upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()
        if self.backend != "sqlite":
            admin = make_engine(os.environ["GRIDBOT_BENCH_DATABASE_URL"])
            with admin.begin() as conn:
                conn.execute(sql(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE"))
            admin.dispose()


async def started(config, db: Database, classifier, sender: RecordingSender | None = None):  # noqa: ANN001, ANN201
    app = create_app(config, clock=SystemClock(), engine=db.engine, background=False, classifier=classifier,
                     senders={"sandbox": sender or RecordingSender()})
    server = TestServer(app)
    await server.start_server()
    await asyncio.get_running_loop().run_in_executor(None, app[PIPELINE].faq.warm_up)
    return server


async def throughput(config, classifier, backend: str, folder: Path, batch: int, n: int) -> float:  # noqa: ANN001
    rng, clock, chats = random.Random(5), SystemClock(), groups(config)
    db = Database(backend, folder, n)
    server = await started(config, db, classifier)
    pipeline = server.app[PIPELINE]
    pipeline.batch = batch
    for i in range(STORED):
        text = rng.choice(OTHERS) if rng.random() < 0.15 else rng.choice(CHATTER)
        await pipeline.accept(message(rng.choice(chats), f"resident-{rng.randrange(RESIDENTS)}", text, f"t{i}", clock))
    cpu = time.process_time()
    handled = 0
    while count := pipeline.process_batch():
        handled += count
    cpu = time.process_time() - cpu
    await server.close()
    db.close()
    return handled / cpu


def classifier_rate(classifier, n: int) -> float:  # noqa: ANN001
    rng = random.Random(5)
    texts = [rng.choice(OTHERS) if rng.random() < 0.15 else rng.choice(CHATTER) for _ in range(n)]
    cpu = time.process_time()
    for text in texts:
        classifier.classify(text)
    return n / (time.process_time() - cpu)


async def latency(config, classifier, backend: str, folder: Path, seconds: float, rate: int,  # noqa: ANN001
                  n: int) -> tuple[list[float], float]:
    """Milliseconds from each fraud report's accept to its warning being sent; the chatter rate reached."""
    clock, chats, sender = SystemClock(), groups(config), RecordingSender()
    db = Database(backend, folder, n)
    server = await started(config, db, classifier, sender)
    pipeline, outbox = server.app[PIPELINE], server.app[OUTBOX]
    tasks = [asyncio.create_task(pipeline.run_forever(poll_seconds=0.5)),
             asyncio.create_task(outbox.run_forever(poll_seconds=0.5))]
    rng, reports, accepted, start = random.Random(9), {}, 0, time.perf_counter()
    fraud_chats = iter(rng.sample(chats, len(chats)))
    next_fraud = start + FRAUD_EVERY
    while (now := time.perf_counter()) - start < seconds:
        for _ in range(int(rate * 0.02)):  # at most 20 ms of load at a time, so reports keep their schedule
            if accepted >= (now - start) * rate:
                break
            chat = rng.choice(chats)
            await pipeline.accept(message(chat, f"resident-{rng.randrange(RESIDENTS)}", rng.choice(CHATTER),
                                          f"c{accepted}", clock))
            accepted += 1
        if time.perf_counter() >= next_fraud and (chat := next(fraud_chats, None)):
            message_id = await pipeline.accept(message(chat, f"reporter-{len(reports)}", FRAUD, f"f{chat}", clock))
            reports[f"msg-{message_id}-"] = time.perf_counter()
            next_fraud += FRAUD_EVERY
        await asyncio.sleep(0.001)
    reached = accepted / (time.perf_counter() - start)
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline and len(warned(sender, reports)) < len(reports):
        await asyncio.sleep(0.05)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await server.close()
    db.close()
    return sorted(warned(sender, reports).values()), reached


def warned(sender: RecordingSender, reports: dict[str, float]) -> dict[str, float]:
    found = {}
    for key, at in sender.sent.items():
        prefix = key[:key.rindex("-") + 1]
        if prefix in reports:
            found[prefix] = (at - reports[prefix]) * 1000
    return found


def pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))] if values else float("nan")


async def run(seconds: float) -> None:
    classifier = Classifier()
    classifier.warm_up()
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("GRIDBOT_BENCH_DATABASE_URL") else [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = load_config(write_config(folder), environ={})
        base = classifier_rate(classifier, STORED)
        print(f"lane classifier alone: {base:.0f} msg/s (CPU)")
        for n, backend in enumerate(backends):
            one = await throughput(config, classifier, backend, folder, 1, 10 * n + 1)
            many = await throughput(config, classifier, backend, folder, 16, 10 * n + 2)
            print(f"lane {backend} pipeline: batch 1 {one:.0f} msg/s, batch 16 {many:.0f} msg/s (CPU of this process)"
                  f", {many / one:.2f} x batch 1, {many / base:.2f} x the classifier alone")
            idle, _ = await latency(config, classifier, backend, folder, 3, 0, 10 * n + 3)
            loaded, reached = await latency(config, classifier, backend, folder, seconds, RATE, 10 * n + 4)
            print(f"lane {backend} fraud warning sent after accept: idle p50 {pct(idle, .5):.0f} ms; under "
                  f"{reached:.0f} msg/s of chatter ({len(loaded)} reports) p50 {pct(loaded, .5):.0f} / p99 "
                  f"{pct(loaded, .99):.0f} / max {pct(loaded, 1):.0f} ms, p99 {pct(loaded, .99) / pct(idle, .99):.1f}"
                  f" x idle")


def main() -> None:
    asyncio.run(run(float(sys.argv[1]) if len(sys.argv) > 1 else 8.0))


if __name__ == "__main__":
    main()
