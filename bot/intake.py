"""Group commit of accepted messages: the inbound hot path's one durable write, shared by concurrent requests.

Each request puts its message's row values on a queue and waits. One writer takes whatever is queued (at most
``cap`` rows), inserts it in ONE transaction (``storage.inbox.store_messages``: Core, deduplicated on (channel,
channel_msg_id), media rows with their message), and only after the commit answers each request with (id,
is_new). Rows that arrive while a batch is being written form the next batch. A request is answered only once
its row is committed, so nothing accepted is lost on a crash.

A failed batch stores nothing: every request in it gets the error (the channel answers 5xx and the platform
retries). A transient failure (database locked or out) fails the batch at once; any other failure is tried row
by row, so one row the database refuses does not take its neighbours with it.

The writer is a thread of its own (one connection at a time), not the database executor the worker, outbox, API
and scheduler share. It takes the queue itself: the event loop wakes it once per turn of the loop, and it writes
batch after batch while rows are queued, handing each batch's answers back with one ``call_soon_threadsafe`` — no
executor job per batch, and no waiting for the loop between batches. On in-memory SQLite every thread shares
the one connection, so there the writer takes its turn on that executor instead (``executor=``).
"""
from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy.engine import Engine

from bot import retrying
from storage import inbox, media

log = logging.getLogger(__name__)
CAP = 256  # rows in one transaction at most


class IntakeClosed(RuntimeError):
    """The server is shutting down: the message was not stored (the channel retries it)."""


@dataclass(frozen=True, slots=True)
class _Pending:
    values: dict[str, Any]
    media: list[dict[str, Any]]
    future: asyncio.Future


class Intake:
    def __init__(self, *, engine: Engine, executor: Executor | None = None, cap: int = CAP,
                 on_stored: Callable[[int, bool], None] = lambda new, with_media: None) -> None:
        """``executor``: None for a writer thread of its own; the shared database executor on in-memory SQLite.
        ``on_stored(new, with_media)`` runs once per committed batch: how many rows were new, and whether any
        new one brought media (to wake the worker and the media worker once, not once per message)."""
        self.engine, self.executor, self.cap, self.on_stored = engine, executor, cap, on_stored
        self.batches = 0  # transactions committed
        self._queue: deque[_Pending] = deque()  # appended by the loop, taken by the writer (both atomic)
        self._writer: asyncio.Task | None = None  # executor mode: the coroutine handing batches to the executor
        self._closed = False
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()
        self._wake_due = False  # the loop will wake the writer at the end of this turn
        self._stopped: asyncio.Future | None = None

    async def store(self, values: dict[str, Any], media_rows: list[dict[str, Any]]) -> tuple[int, bool]:
        """Store one message (and its media rows); returns (id, is_new) once committed. Raises the batch's error,
        or IntakeClosed once shutdown has begun."""
        if self._closed:
            raise IntakeClosed("shutting down: message not stored")
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._queue.append(_Pending(values, media_rows, future))
        if self.executor is not None:
            if self._writer is None:
                self._writer = asyncio.create_task(self._write_queued(), name="intake")
        elif not self._wake_due:  # the requests of this turn go together: wake the writer once, after them
            self._wake_due = True
            loop.call_soon(self._wake_writer, loop)
        return await future

    async def close(self) -> None:
        """Refuse new messages; write (and answer) everything already queued."""
        self._closed = True
        if self._writer is not None:
            await self._writer
        if self.executor is None and (self._thread is not None or self._queue):
            self._wake_writer(asyncio.get_running_loop())
            await asyncio.shield(self._stopped)

    def _wake_writer(self, loop: asyncio.AbstractEventLoop) -> None:
        self._wake_due = False
        if self._thread is None:
            self._stopped = loop.create_future()
            self._thread = threading.Thread(target=self._run_writer, args=(loop,), name="intake", daemon=True)
            self._thread.start()
        self._wake.set()

    def _run_writer(self, loop: asyncio.AbstractEventLoop) -> None:
        """The writer thread: every queued batch, back to back, each answered on the loop once committed."""
        try:
            while True:
                self._wake.wait()
                self._wake.clear()
                while self._queue:
                    batch = [self._queue.popleft() for _ in range(min(self.cap, len(self._queue)))]
                    loop.call_soon_threadsafe(self._answer, batch, self._write(batch))
                if self._closed and not self._queue:  # a row queued just before close() is written first
                    return
        except RuntimeError:  # the loop was closed without close(): nobody is left to answer
            log.warning("intake: the event loop closed while messages were being stored")
        finally:
            if not loop.is_closed():
                try:
                    loop.call_soon_threadsafe(self._writer_stopped)
                except RuntimeError:
                    pass

    def _writer_stopped(self) -> None:
        if self._stopped is not None and not self._stopped.done():
            self._stopped.set_result(None)

    async def _write_queued(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._queue:
                batch = [self._queue.popleft() for _ in range(min(self.cap, len(self._queue)))]
                try:
                    results = await loop.run_in_executor(self.executor, self._write, batch)
                except asyncio.CancelledError:
                    self._refuse(batch + list(self._queue))
                    self._queue.clear()
                    raise
                except Exception as exc:  # noqa: BLE001 - the executor itself failed (shut down): tell them
                    results = [exc] * len(batch)
                self._answer(batch, results)
        finally:
            self._writer = None

    def _refuse(self, batch: list[_Pending]) -> None:
        self._answer(batch, [IntakeClosed("stopped while storing: the message may not be stored")] * len(batch))

    def _write(self, batch: list[_Pending]) -> list[tuple[int, bool] | BaseException]:
        """In the writer's thread: the batch in one transaction; on a lasting error, row by row."""
        try:
            return self._transaction(batch)
        except Exception as exc:  # noqa: BLE001 - every request is told
            if len(batch) == 1 or retrying.is_transient(exc):
                log.warning("could not store %d message(s): %s", len(batch), type(exc).__name__)
                return [exc] * len(batch)
            log.warning("a batch of %d failed (%s); storing its rows one by one", len(batch), type(exc).__name__)
        results: list[tuple[int, bool] | BaseException] = []
        for pending in batch:
            try:
                results += self._transaction([pending])
            except Exception as exc:  # noqa: BLE001
                results.append(exc)
        return results

    def _transaction(self, batch: list[_Pending]) -> list[tuple[int, bool]]:
        with self.engine.begin() as conn:
            results = inbox.store_messages(conn, rows=[pending.values for pending in batch])
            for pending, (message_id, is_new) in zip(batch, results):
                if is_new and pending.media:
                    media.insert_media(conn, message_id=message_id, rows=pending.media)
        self.batches += 1
        return results

    def _answer(self, batch: list[_Pending], results: list[tuple[int, bool] | BaseException]) -> None:
        new, with_media = 0, False
        for pending, result in zip(batch, results):
            if isinstance(result, BaseException):
                if not pending.future.done():
                    pending.future.set_exception(result)
                continue
            if result[1]:
                new += 1
                with_media = with_media or bool(pending.media)
            if not pending.future.done():  # a request given up on meanwhile: its row is stored all the same
                pending.future.set_result(result)
        if new:
            try:
                self.on_stored(new, with_media)
            except Exception:  # noqa: BLE001 - a wake-up must not undo an answer
                log.exception("intake: on_stored failed")
