"""The group commit of accepted messages: concurrent accepts share a transaction, every request gets its own id
(a redelivery, in the same batch or an earlier one, the stored id), a failed batch stores nothing and tells every
request, one refused row fails alone, shutdown writes what is queued and refuses the rest."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.intake import Intake, IntakeClosed
from bot.keys import ENGINE, INTAKE, PIPELINE
from storage import inbox
from storage.db import make_engine
from storage.models import Media, Message
from tests.bot.test_inbox_retry import Lock
from tests.factories import SANDBOX_HEADERS

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


def values(msg_id: str, chat: str = "grid-2", **overrides: object) -> dict:
    row = inbox.message_values(channel="sandbox", channel_msg_id=msg_id, chat_id=chat, sender_id="resident-7",
                               text=f"消息 {msg_id}", sent_at=NOW, received_at=NOW)
    return {**row, **overrides}


@pytest.fixture
async def intakes():  # noqa: ANN201
    """Intake(...) with its own writer thread, as the app builds it; each one closed after the test."""
    made: list[Intake] = []

    def make(**kwargs: object) -> Intake:
        made.append(Intake(**kwargs))
        return made[-1]
    yield make
    for intake in made:
        await intake.close()


def stored(engine) -> list[tuple[int, str]]:  # noqa: ANN001
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(select(Message.id, Message.channel_msg_id).order_by(Message.id))]


def commits(engine) -> list[int]:  # noqa: ANN001
    seen: list[int] = []
    event.listen(engine, "commit", lambda _conn: seen.append(1))
    return seen


async def test_concurrent_accepts_share_transactions_and_each_gets_its_id(engine, intakes):
    wakes: list[tuple[int, bool]] = []
    intake = intakes(engine=engine, cap=4, on_stored=lambda new, media: wakes.append((new, media)))
    committed = commits(engine)
    ids = ["m0", "m1", "m1", "m2",  # batch 1: a redelivery inside the batch
           "m3", "m0", "m4", "m5",  # batch 2: a redelivery of a message stored by batch 1
           "m6", "m6"]               # batch 3
    results = await asyncio.gather(*(intake.store(values(i), []) for i in ids))
    assert intake.batches == 3 and len(committed) == 3  # ten requests, three transactions
    rows = stored(engine)
    assert [msg_id for _, msg_id in rows] == ["m0", "m1", "m2", "m3", "m4", "m5", "m6"]  # arrival order
    by_msg = {msg_id: row_id for row_id, msg_id in rows}
    assert [r[0] for r in results] == [by_msg[i] for i in ids]
    assert [r[1] for r in results] == [True, True, False, True, True, False, True, True, True, False]
    assert wakes == [(3, False), (3, False), (1, False)]  # the worker is woken once a batch


async def test_redelivery_of_a_whole_batch_stores_nothing_and_wakes_no_one(engine, intakes):
    wakes: list[tuple[int, bool]] = []
    intake = intakes(engine=engine, on_stored=lambda new, media: wakes.append((new, media)))
    first = await asyncio.gather(*(intake.store(values(f"r{n}"), []) for n in range(5)))
    again = await asyncio.gather(*(intake.store(values(f"r{n}"), []) for n in range(5)))
    assert [row_id for row_id, _ in again] == [row_id for row_id, _ in first]
    assert not any(is_new for _, is_new in again) and all(is_new for _, is_new in first)
    assert len(wakes) == 1 and len(stored(engine)) == 5


async def test_media_rows_are_stored_with_their_message_and_wake_the_media_worker(engine, intakes):
    wakes: list[tuple[int, bool]] = []
    intake = intakes(engine=engine, on_stored=lambda new, media: wakes.append((new, media)))
    photo = {"kind": "image", "channel": "sandbox", "source": "inline", "ref": "", "name": "", "declared_format": "",
             "inline_data": b"\x89PNG\r\n\x1a\n", "state": "pending", "attempts": 0, "next_attempt_at": NOW,
             "created_at": NOW, "content_type": "", "size": 0, "sha256": "", "store_key": "", "reading": "none",
             "recognized_text": "", "qr_payloads": []}
    (with_photo, _), (plain, _), (again, is_new) = await asyncio.gather(
        intake.store(values("p1", kind="image", media_pending=True), [photo]), intake.store(values("p2"), []),
        intake.store(values("p1", kind="image", media_pending=True), [photo]))
    assert again == with_photo and not is_new
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(select(Media.message_id, Media.kind))] == [(with_photo, "image")]
    assert wakes == [(2, True)]
    assert plain != with_photo


async def test_a_batch_that_fails_stores_nothing_and_every_request_gets_the_error(tmp_path, intakes):
    path = str(tmp_path / "locked.db")
    engine = make_engine(f"sqlite:///{path}", create=True, busy_timeout=0.05)
    intake, lock = intakes(engine=engine), Lock(path)
    lock.take()
    try:
        outcome = await asyncio.gather(*(intake.store(values(f"l{n}"), []) for n in range(6)),
                                       return_exceptions=True)
    finally:
        lock.release()
    assert all(isinstance(result, OperationalError) and "locked" in str(result) for result in outcome)
    assert stored(engine) == [] and intake.batches == 0  # no request was told yes, no row was kept
    retried = await asyncio.gather(*(intake.store(values(f"l{n}"), []) for n in range(6)))
    assert all(is_new for _, is_new in retried) and len(stored(engine)) == 6  # the channel's retry stores them
    engine.dispose()


async def test_a_row_the_database_refuses_fails_alone_and_its_neighbours_are_stored(engine, intakes):
    intake = intakes(engine=engine)
    outcome = await asyncio.gather(intake.store(values("ok-1"), []), intake.store(values("bad", chat_id=None), []),
                                   intake.store(values("ok-2"), []), return_exceptions=True)
    assert isinstance(outcome[1], IntegrityError)
    assert [is_new for _, is_new in (outcome[0], outcome[2])] == [True, True]
    assert [msg_id for _, msg_id in stored(engine)] == ["ok-1", "ok-2"]


async def test_shutdown_writes_what_is_queued_then_refuses_new_messages(engine, intakes):
    intake = intakes(engine=engine, cap=2)
    queued = [asyncio.create_task(intake.store(values(f"s{n}"), [])) for n in range(5)]
    await asyncio.sleep(0)  # the requests are queued (the event loop's turn, no wall-clock wait)
    await intake.close()
    assert all(task.done() and task.result()[1] for task in queued)
    assert len(stored(engine)) == 5 and intake.batches == 3
    with pytest.raises(IntakeClosed):
        await intake.store(values("late"), [])
    assert len(stored(engine)) == 5


async def test_sandbox_posts_in_flight_together_are_answered_once_stored_with_their_ids(bot):
    engine, pipeline = bot.app[ENGINE], bot.app[PIPELINE]
    pipeline.wake.clear()
    ids = [f"c{n}" for n in range(30)] + ["c3", "c7"]
    answers = await asyncio.gather(*(bot.client.post("/sandbox/messages", headers=SANDBOX_HEADERS, json={
        "group_id": "grid-2", "sender_id": f"resident-{n}", "text": "收到", "msg_id": msg_id})
        for n, msg_id in enumerate(ids)))
    assert [a.status for a in answers] == [200] * len(ids)
    got = [(await a.json())["message_id"] for a in answers]
    by_msg = {msg_id: row_id for row_id, msg_id in stored(engine)}  # committed before the answers came
    assert len(by_msg) == 30 and got == [by_msg[i] for i in ids]
    assert pipeline.wake.is_set() and 1 <= bot.app[INTAKE].batches <= len(ids)
    pipeline.wake.clear()
    assert (await bot.say("grid-2", "resident-1", "收到", msg_id="c3"))["message_id"] == by_msg["c3"]
    assert not pipeline.wake.is_set()  # a redelivery alone wakes no worker
    assert await pipeline.run_once() == 30


async def test_sandbox_post_that_cannot_be_stored_is_refused_and_its_retry_stored(aiohttp_client, config, clock,
                                                                                   tmp_path):
    from bot.app import create_app
    from tests.factories import BotDriver

    path = str(tmp_path / "app.db")
    engine = make_engine(f"sqlite:///{path}", create=True, busy_timeout=0.05)
    bot = BotDriver(await aiohttp_client(create_app(config, clock=clock, engine=engine, background=False)))
    lock = Lock(path)
    lock.take()
    try:
        resp = await bot.client.post("/sandbox/messages", headers=SANDBOX_HEADERS,
                                     json={"group_id": "grid-2", "sender_id": "resident-1", "text": "救命",
                                           "msg_id": "x1"})
    finally:
        lock.release()
    assert resp.status >= 500
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Message)).scalar() == 0
    assert (await bot.say("grid-2", "resident-1", "救命", msg_id="x1"))["message_id"] >= 1
    await bot.client.close()
    engine.dispose()
