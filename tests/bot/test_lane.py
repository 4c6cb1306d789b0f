"""The priority lane and batched claims: calls for help and fraud reports are taken before older chatter of other
chats, a chat's messages are still handled in arrival order, one failing message in a batch costs the others
nothing, and two workers on one PostgreSQL database never handle a message twice."""
from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import select

from bot import retrying
from bot.channels import registry
from bot.keys import CONFIG, ENGINE, PIPELINE
from bot.pipeline import Pipeline
from handlers.dispatch import build_routes
from handlers.nlu.priority import NORMAL, URGENT, intake_priority
from storage import outbox
from storage.db import make_engine
from storage.db import session as new_session
from storage.models import Case, Message, Outbox
from tests.factories import pg_test_url

pytestmark = pytest.mark.postgres

HELP = "救命 我爸在家摔倒了起不来 头上流血了"
FRAUD = "有人冒充客服说我的快递丢了要理赔 让我下载app共享屏幕"
CHATTER = ("大家早上好", "收到，谢谢", "今天天气不错", "好的👌", "晚上一起散步吗")


class Recording:
    """The real classifier, noting the order in which message texts reach it (several threads may call it);
    ``fail_on``: texts it refuses, as a broken handler would."""

    def __init__(self, real, fail_on: tuple[str, ...] = ()) -> None:  # noqa: ANN001
        self.real, self.fail_on, self.seen, self.lock = real, fail_on, [], threading.Lock()

    def classify(self, text):  # noqa: ANN001, ANN201
        with self.lock:
            self.seen.append(text)
        if text in self.fail_on:
            raise RuntimeError("classifier broke")
        return self.real.classify(text)

    def __getattr__(self, name):  # noqa: ANN001, ANN201
        return getattr(self.real, name)


def recording(bot, fail_on: tuple[str, ...] = ()) -> Recording:  # noqa: ANN001
    pipeline = bot.app[PIPELINE]
    pipeline.classifier = Recording(pipeline.classifier, fail_on)
    return pipeline.classifier


def stored(bot) -> list[Message]:  # noqa: ANN001
    with new_session(bot.app[ENGINE]) as s:
        return list(s.exec(select(Message).order_by(Message.id)).all())


@pytest.mark.parametrize(("text", "expected"), [
    (HELP, URGENT),
    ("楼道里着火了 好大的烟", URGENT),
    ("我妈刚才念了验证码给对方 现在还在转账 怎么拦", URGENT),
    (FRAUD, URGENT),
    ("有人打电话说是公检法要我转账到安全账户", URGENT),
    ("大家早上好", NORMAL),
    ("收到，谢谢", NORMAL),
    ("请问办居住证要带什么材料", NORMAL),
    ("", NORMAL),
    (None, NORMAL),
    ("👍👍👍", NORMAL),
    ("哈" * 50_000, NORMAL),  # a pasted essay is read only up to the classifier's limit
])
def test_intake_priority_flags_calls_for_help_and_fraud_reports(text, expected):  # noqa: ANN001
    assert intake_priority(text) == expected


async def test_accepted_messages_carry_their_intake_priority(bot):
    await bot.say("grid-1", "resident-1", "大家早上好")
    await bot.say("grid-1", "resident-2", FRAUD)
    assert [m.priority for m in stored(bot)] == [NORMAL, URGENT]


async def test_a_call_for_help_is_taken_before_older_chatter_of_other_chats(bot):
    seen = recording(bot)
    for i, text in enumerate(CHATTER):
        await bot.say("grid-2" if i % 2 else "grid-3", f"resident-{i}", text)
    await bot.say("grid-1", "resident-9", HELP)
    bot.app[PIPELINE].batch = 1  # one message a claim: the order of the claims shows
    assert bot.app[PIPELINE].process_next()
    assert seen.seen == [HELP]
    await bot.app[PIPELINE].run_once()
    assert seen.seen == [HELP, *CHATTER]  # then the rest in arrival order
    assert all(m.handled_at is not None for m in stored(bot))


async def test_a_lane_message_takes_its_chats_older_messages_along_first(bot):
    """Per-chat order holds: a fraud report in a chat with older pending chatter is handled right after that
    chatter, before the older chatter of other chats."""
    seen = recording(bot)
    await bot.say("grid-2", "resident-1", CHATTER[0])  # the oldest, in another chat
    await bot.say("grid-1", "resident-2", CHATTER[1])
    await bot.say("grid-1", "resident-3", CHATTER[2])
    await bot.say("grid-1", "resident-4", FRAUD)
    await bot.say("grid-1", "resident-5", CHATTER[3])  # later than the report: not taken along
    pipeline = bot.app[PIPELINE]
    pipeline.batch = 1
    for _ in range(3):
        assert pipeline.process_next()
    assert seen.seen == [CHATTER[1], CHATTER[2], FRAUD]
    await pipeline.run_once()
    assert seen.seen == [CHATTER[1], CHATTER[2], FRAUD, CHATTER[0], CHATTER[3]]


async def test_a_batch_handles_a_chats_consecutive_messages_in_order(bot):
    seen = recording(bot)
    texts = [f"{CHATTER[i % 5]} {i}" for i in range(6)]
    for i, text in enumerate(texts):
        await bot.say("grid-1", f"resident-{i}", text)
    assert bot.app[PIPELINE].process_batch() == 6  # one claim
    assert seen.seen == texts


async def test_a_failing_message_in_a_batch_costs_the_others_nothing(bot, clock):
    bad = "楼上天天半夜吵 睡不着"
    seen = recording(bot, fail_on=(bad,))
    await bot.say("grid-1", "resident-1", CHATTER[0])
    await bot.say("grid-2", "resident-2", bad)
    await bot.say("grid-2", "resident-3", CHATTER[1])  # waits behind the failed one: arrival order in grid-2
    await bot.say("grid-3", "resident-4", CHATTER[2])
    assert bot.app[PIPELINE].process_batch() == 3
    first, failed, held, other = stored(bot)
    assert first.handled_at is not None and other.handled_at is not None
    assert failed.handled_at is None and failed.attempts == 1 and "classifier broke" in failed.error
    assert held.handled_at is None and held.attempts == 0
    assert await bot.app[PIPELINE].run_once() == 0  # the failed one waits for its retry, and grid-2 with it
    seen.fail_on = ()
    clock.advance(retrying.step(1))
    assert await bot.app[PIPELINE].run_once() == 2
    assert all(m.handled_at is not None for m in stored(bot))
    assert seen.seen == [CHATTER[0], bad, CHATTER[2], bad, CHATTER[1]]


async def test_a_message_parked_in_a_batch_frees_its_chat(bot, clock):
    bad = "楼上天天半夜吵 睡不着"
    recording(bot, fail_on=(bad,))
    await bot.say("grid-2", "resident-2", bad)
    await bot.say("grid-2", "resident-3", CHATTER[1])
    for _ in range(20):
        if stored(bot)[0].parked_at is not None:
            break
        await bot.app[PIPELINE].run_once()
        clock.advance(timedelta(minutes=5))
    parked, later = stored(bot)
    assert parked.parked_at is not None and parked.handled_at is None
    assert later.handled_at is not None


async def test_a_public_fraud_warning_is_sent_before_earlier_replies_in_its_group(bot, clock):
    await bot.say("grid-1", "resident-1", "请问派出所几点上班？")
    await bot.say("grid-1", "resident-2", FRAUD)
    await bot.app[PIPELINE].run_once()
    with new_session(bot.app[ENGINE]) as s:
        public = s.exec(select(Outbox).where(Outbox.chat_id == "grid-1", Outbox.is_direct.is_(False))
                        .order_by(Outbox.id)).all()
        assert [row.kind for row in public][-1] == "alert" and len(public) >= 2  # the warning was written last
        first = outbox.claim_due(s, now=clock.now(), limit=1, owner="t", token="t", lease=timedelta(seconds=30))
        warning = s.get(Case, first[0].case_id)
        assert first[0].kind == "alert" and warning is not None and warning.kind == "fraud"


async def test_two_workers_on_postgresql_never_handle_a_message_twice(bot, backend):
    if backend != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    texts = []
    for i in range(60):
        chat = ("grid-1", "grid-2", "grid-3")[i % 3]
        text = HELP if i % 17 == 5 else FRAUD if i % 13 == 7 else f"{CHATTER[i % 5]} 第{i}条"
        texts.append((chat, f"{text} {i}" if text in (HELP, FRAUD) else text))
        await bot.say(chat, f"resident-{i}", texts[-1][1])
    first = bot.app[PIPELINE]
    seen = recording(bot)
    other_engine = make_engine(pg_test_url())
    second = Pipeline(engine=other_engine, executor=first.executor, config=bot.app[CONFIG], clock=first.clock,
                      classifier=seen, routes=build_routes(bot.app[CONFIG].commands.aliases),
                      channels=registry.directory(), intake=first.intake, batch=4)  # it only handles
    first.batch = 4

    def drain(pipeline: Pipeline) -> int:
        total = 0
        while count := pipeline.process_batch():
            total += count
        return total

    try:
        with ThreadPoolExecutor(2) as threads:
            loop = asyncio.get_running_loop()
            counts = await asyncio.gather(*(loop.run_in_executor(threads, drain, p) for p in (first, second)))
        counts.append(drain(first))  # whatever one skipped while the other held it
    finally:
        other_engine.dispose()
    assert sum(counts) == 60
    assert sorted(seen.seen) == sorted(text for _, text in texts)  # each message classified once
    for chat in ("grid-1", "grid-2", "grid-3"):
        arrived = [text for c, text in texts if c == chat]
        assert [t for t in seen.seen if t in arrived] == arrived  # arrival order per chat, across both workers
    assert all(m.handled_at is not None for m in stored(bot))
