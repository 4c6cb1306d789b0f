"""Outbox leases between processes: renewed while a slow send runs, settled per row, a lost lease is not sent,
a restarted instance takes its own rows back at once, alerts go first. Two senders on one database stand for
two processes (tests/bot/test_outbox_processes.py runs real ones)."""
from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.outbox import OutboxSender
from storage import outbox
from storage.db import session
from storage.models import Outbox
from tests.fakes.senders import FakeSender, ManualPulse, SlowSender

pytestmark = pytest.mark.postgres
LEASE = timedelta(seconds=30)


@pytest.fixture
def executor():  # noqa: ANN201
    pool = ThreadPoolExecutor(max_workers=1)
    yield pool
    pool.shutdown(wait=True)


@pytest.fixture
def make_sender(engine, executor, clock):  # noqa: ANN001, ANN201
    def make(sender, instance: str, *, batch: int = 10, pulse=None) -> OutboxSender:  # noqa: ANN001
        return OutboxSender(engine=engine, executor=executor, clock=clock, senders={"sandbox": sender},
                            batch=batch, lease=LEASE, instance=instance, pulse=pulse or ManualPulse())
    return make


def enqueue(engine, clock, *kinds: str, chat: str | None = None) -> None:  # noqa: ANN001
    """One row of each kind, each to its own chat unless ``chat`` is given (one chat's rows go out in order)."""
    with session(engine) as s:
        for i, kind in enumerate(kinds):
            outbox.enqueue(s, now=clock.now(), idempotency_key=f"k-{i}", channel="sandbox",
                           chat_id=chat or f"chat-{i}", text=f"第{i}条", kind=kind)
        s.commit()


def statuses(engine) -> list[str]:  # noqa: ANN001
    with session(engine) as s:
        return [row.status for row in s.exec(select(Outbox).order_by(Outbox.id)).all()]


async def test_alerts_are_sent_before_earlier_replies(engine, clock, make_sender):
    enqueue(engine, clock, "reply", "reply", "notice", "alert", "reply", "alert", chat="officer-2")
    sender = FakeSender()
    assert await make_sender(sender, "web-1").drain_once() == 6
    assert [m.idempotency_key for m in sender.sent] == ["k-3", "k-5", "k-0", "k-1", "k-2", "k-4"]


async def test_a_slow_send_keeps_its_lease_and_another_process_skips_the_row(engine, clock, make_sender):
    enqueue(engine, clock, "reply", "reply", chat="grid-2")
    slow, pulse, other = SlowSender(), ManualPulse(), FakeSender()
    first = asyncio.create_task(make_sender(slow, "web-1", pulse=pulse).drain_once())
    await slow.in_flight()
    clock.advance(seconds=25)
    await pulse.beat()  # the heartbeat renews both rows: the one being sent and the one waiting
    clock.advance(seconds=25)  # 50 s after the claim: past the first lease, within the renewed one
    assert await make_sender(other, "web-2").drain_once() == 0
    slow.finish()
    await slow.in_flight()
    slow.finish()
    assert await first == 2
    clock.advance(minutes=5)
    assert await make_sender(other, "web-2").drain_once() == 0
    keys = Counter(m.idempotency_key for m in slow.sent + other.sent)
    assert keys == {"k-0": 1, "k-1": 1} and statuses(engine) == ["sent", "sent"]


async def test_each_row_is_settled_as_its_send_ends(engine, clock, make_sender):
    enqueue(engine, clock, "reply", "reply", "reply", chat="grid-2")
    slow = SlowSender()
    draining = asyncio.create_task(make_sender(slow, "web-1").drain_once())
    await slow.in_flight()
    slow.finish()
    await slow.in_flight()  # the second send is under way: the first is settled already
    assert statuses(engine) == ["sent", "pending", "pending"]
    draining.cancel()  # the process dies mid-batch
    with pytest.raises(asyncio.CancelledError):
        await draining


async def test_a_slow_chat_does_not_hold_back_the_others(engine, clock, make_sender):
    enqueue(engine, clock, "reply", "alert", "reply")
    slow = SlowSender()
    draining = asyncio.create_task(make_sender(slow, "web-1").drain_once())
    in_flight = {(await slow.in_flight()).idempotency_key for _ in range(3)}  # all three before any answer
    assert in_flight == {"k-0", "k-1", "k-2"}
    slow.finish()
    assert await draining == 3 and statuses(engine) == ["sent"] * 3


async def test_a_restarted_instance_sends_its_earlier_runs_rows_at_once(engine, clock, make_sender):
    enqueue(engine, clock, "alert", "reply", "reply")
    make_sender(FakeSender(), "web-1")._claim()  # claimed, then the process was killed before sending
    assert await make_sender(FakeSender(), "web-2").drain_once() == 0  # another instance respects the lease
    restarted = FakeSender()
    assert await make_sender(restarted, "web-1").drain_once() == 3  # no wait for the lease to run out
    assert [m.idempotency_key for m in restarted.sent] == ["k-0", "k-1", "k-2"]


async def test_rows_of_a_process_gone_for_good_are_due_after_the_short_lease(engine, clock, make_sender):
    enqueue(engine, clock, "alert")
    make_sender(FakeSender(), "web-1")._claim()
    other = make_sender(FakeSender(), "web-2")
    clock.advance(seconds=29)
    assert await other.drain_once() == 0
    clock.advance(seconds=2)
    assert await other.drain_once() == 1


async def test_a_row_whose_lease_was_lost_is_not_sent(engine, clock, make_sender):
    enqueue(engine, clock, "reply", "reply", chat="grid-2")
    slow, other = SlowSender(), FakeSender()
    stalled = asyncio.create_task(make_sender(slow, "web-1", batch=2).drain_once())
    await slow.in_flight()  # no heartbeat comes (the process is stalled): the lease runs out
    clock.advance(seconds=31)
    assert await make_sender(other, "web-2").drain_once() == 2
    slow.finish()
    assert await stalled == 1  # its first send ended; the second row was no longer its own
    assert [m.idempotency_key for m in slow.sent] == ["k-0"] and statuses(engine) == ["sent", "sent"]


async def test_a_lost_lease_is_not_overwritten_by_a_late_failure(engine, clock, make_sender):
    enqueue(engine, clock, "reply")
    slow, other = SlowSender(), FakeSender()
    slow.fail_next(Exception("gateway timeout"))
    stalled = asyncio.create_task(make_sender(slow, "web-1").drain_once())
    await slow.in_flight()
    clock.advance(seconds=31)
    assert await make_sender(other, "web-2").drain_once() == 1
    slow.finish()
    assert await stalled == 0
    with session(engine) as s:
        row = s.exec(select(Outbox)).one()
    assert (row.status, row.attempts, row.last_error, row.lease_token) == ("sent", 1, None, None)


class BusyAfterSend(FakeSender):
    """A sender that, once its message is out, gives the database thread other work (as the worker, the API and the
    scheduler do on SQLite's one thread), so the outbox's settlement of that send waits in line behind it."""

    def __init__(self, executor: ThreadPoolExecutor) -> None:
        super().__init__()
        self.executor, self.gate, self.busy = executor, threading.Event(), threading.Event()

    def _other_work(self) -> None:
        self.busy.set()
        self.gate.wait(timeout=30)

    async def send(self, message) -> None:  # noqa: ANN001
        await super().send(message)
        self.executor.submit(self._other_work)
        assert self.busy.wait(timeout=30)  # the thread has taken the other work: the next job queues


def settlement_handed_over(executor: ThreadPoolExecutor) -> asyncio.Event:
    """Set when the outbox hands a settlement to ``executor`` (its ``run_in_executor`` calls ``submit``)."""
    handed, submit = asyncio.Event(), executor.submit

    def watching(fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        future = submit(fn, *args, **kwargs)
        if getattr(fn, "__name__", "") == "_settle":
            handed.set()
        return future
    executor.submit = watching
    return handed


async def test_a_stop_while_the_settlement_waits_in_line_still_records_the_send(engine, clock, make_sender,
                                                                                 executor):
    enqueue(engine, clock, "reply")
    sender, handed = BusyAfterSend(executor), settlement_handed_over(executor)
    drain = asyncio.create_task(make_sender(sender, "web-1").drain_once())
    await handed.wait()
    assert executor._work_queue.qsize() == 1  # the settlement waits behind the other work
    drain.cancel()  # the process is stopping
    with contextlib.suppress(asyncio.CancelledError):
        await drain
    sender.gate.set()
    await asyncio.wrap_future(executor.submit(lambda: None))  # one thread, in order: the settlement has run
    assert statuses(engine) == ["sent"]
    clock.advance(minutes=5)  # past the lease: nobody sends it again
    again = FakeSender()
    assert await make_sender(again, "web-2").drain_once() == 0
    assert len(sender.sent) == 1 and again.sent == []


async def test_a_stop_lets_the_send_in_flight_end_and_begins_no_other(engine, clock, make_sender):
    enqueue(engine, clock, "reply", "reply", "reply", chat="grid-2")
    slow = SlowSender()
    outbox_sender = make_sender(slow, "web-1")
    running = asyncio.create_task(outbox_sender.run_forever())
    await slow.in_flight()
    stopping = asyncio.create_task(outbox_sender.stop(running, grace=30))
    await asyncio.wait([stopping], timeout=0)  # the stop has begun and is waiting on the send
    assert not stopping.done() and not running.done()
    slow.finish()
    await stopping
    assert running.done() and not running.cancelled()  # it ended on its own: nothing was cut off
    assert statuses(engine) == ["sent", "pending", "pending"] and len(slow.sent) == 1
    other = FakeSender()  # the rows not begun are due now, not leased to the process that stopped
    assert await make_sender(other, "web-2").drain_once() == 2
    assert [m.idempotency_key for m in slow.sent + other.sent] == ["k-0", "k-1", "k-2"]


async def test_a_send_that_outlasts_the_grace_is_cut_off_and_the_stop_returns(engine, clock, make_sender):
    enqueue(engine, clock, "reply", "reply", chat="grid-2")
    slow = SlowSender()
    outbox_sender = make_sender(slow, "web-1")
    running = asyncio.create_task(outbox_sender.run_forever())
    await slow.in_flight()
    await outbox_sender.stop(running, grace=0)
    assert running.cancelled() and slow.sent == []
    assert statuses(engine) == ["pending", "pending"]
    assert await outbox_sender.drain_once() == 0  # a stopped sender claims nothing
    other = FakeSender()  # the row cut off mid-send keeps its lease (it may have arrived); the one not begun is free
    assert await make_sender(other, "web-2").drain_once() == 1 and [m.idempotency_key for m in other.sent] == ["k-1"]
    clock.advance(minutes=5)  # past the lease: the cut-off row is sent again, as before a stop existed
    assert await make_sender(other, "web-2").drain_once() == 1 and other.sent[-1].idempotency_key == "k-0"
