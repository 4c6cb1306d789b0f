"""The media worker: drains the media rows the edge stored, fetches each through its channel, checks size and
type, keeps it in the media store with its checksum, reads images, then releases the message to the pipeline.

It runs beside the pipeline worker and never inside an HTTP request. Fetches and reading happen on the event
loop's side (network) and in the reading pool (OCR); the database work runs in the database executor.
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from datetime import timedelta
from typing import Any, Callable

from sqlalchemy.engine import Engine

from bot.channels.base import PermanentFailure, TemporaryFailure
from bot.channels.kit.inbound import MAX_TEXT
from bot.clock import Clock
from bot.media import limits
from bot.media.fetch import Download, MediaFetcher, MediaJob
from bot.media.pool import ImageReader
from bot.media.reading import Reading
from bot.media.store import MediaStore
from bot.wake import wake_or_timeout
from handlers.privacy import mask_personal
from storage import media
from storage.db import session as new_session
from storage.models import Message

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)  # a claimed row another worker may take over if this one died


class MediaWorker:
    def __init__(self, *, engine: Engine, executor: Executor, clock: Clock, config: Any, store: MediaStore,
                 fetchers: dict[str, MediaFetcher], reader: ImageReader,
                 on_ready: Callable[[], None] = lambda: None) -> None:
        self.engine, self.executor, self.clock, self.config = engine, executor, clock, config
        self.store, self.fetchers, self.reader, self.on_ready = store, fetchers, reader, on_ready
        self.wake = asyncio.Event()

    async def run_once(self) -> int:
        """Fetch and read every due medium; returns how many were settled (stored or failed) or postponed."""
        loop = asyncio.get_running_loop()
        done = 0
        while jobs := await loop.run_in_executor(self.executor, self._claim):
            await asyncio.gather(*(self._process(job) for job in jobs))
            done += len(jobs)
        return done

    async def run_forever(self, poll_seconds: float = 5.0) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # noqa: BLE001 - keep the worker alive; each row records its own error
                log.exception("media worker error")
            await wake_or_timeout(self.wake, poll_seconds)
            self.wake.clear()

    def _claim(self) -> list[MediaJob]:
        now = self.clock.now()
        with new_session(self.engine) as session:
            rows = media.claim_due(session, now=now, limit=4)
            jobs = [MediaJob(id=r.id, message_id=r.message_id, kind=r.kind, channel=r.channel, source=r.source,
                             ref=r.ref, attempts=r.attempts, declared_format=r.declared_format,
                             inline_data=r.inline_data) for r in rows]
            for row in rows:  # leased: another worker leaves it alone until the lease runs out
                row.next_attempt_at = now + LEASE
                session.add(row)
            session.commit()
        return jobs

    async def _process(self, job: MediaJob) -> None:
        max_bytes = getattr(self.config.media.max_bytes, job.kind, self.config.media.max_bytes.file)
        try:
            got = await self._fetch(job, max_bytes)
            checked = limits.check(job.kind, got.data, max_bytes)
            loop = asyncio.get_running_loop()
            key, digest = await loop.run_in_executor(None, self.store.put, got.data, checked.extension)
            reading = await self.reader.read(got.data) if job.kind == "image" else None
        except PermanentFailure as exc:
            log.warning("media %s (%s %s) refused: %s", job.id, job.channel, job.kind, mask_personal(str(exc)))
            await self._settle(job, failed=str(exc))
        except TemporaryFailure as exc:
            log.info("media %s: will retry: %s", job.id, exc)
            await self._settle(job, retry=exc)
        else:
            await self._settle(job, stored=(checked, key, digest, reading))

    async def _fetch(self, job: MediaJob, max_bytes: int) -> Download:
        if job.source == "inline":
            if job.inline_data is None:
                raise PermanentFailure("inline medium without its bytes")
            return Download(job.inline_data)
        fetcher = self.fetchers.get(job.channel)
        if fetcher is None:
            raise TemporaryFailure(f"no media fetcher for channel {job.channel} (is it enabled?)")
        return await fetcher.fetch(job, max_bytes=max_bytes)

    async def _settle(self, job: MediaJob, *, stored: tuple | None = None, failed: str | None = None,
                      retry: TemporaryFailure | None = None) -> None:
        await asyncio.get_running_loop().run_in_executor(self.executor, self._write, job, stored, failed, retry)
        self.on_ready()

    def _write(self, job: MediaJob, stored: tuple | None, failed: str | None,
               retry: TemporaryFailure | None) -> None:
        now = self.clock.now()
        with new_session(self.engine) as session:
            row = media.get_media(session, media_id=job.id)
            if row is None or row.state != media.PENDING:
                return
            if stored is not None:
                checked, key, digest, reading = stored
                media.mark_stored(session, row=row, now=now, content_type=checked.content_type, size=checked.size,
                                  sha256=digest, store_key=key)
                if reading is not None:
                    media.record_reading(session, row=row, reading=reading.state, text=reading.text,
                                         qr=reading.qr, read_ms=reading.ms)
            elif retry is not None and job.attempts + 1 < self.config.media.max_attempts:
                media.mark_retry(session, row=row, now=now, delay=backoff(job.attempts, retry.retry_after),
                                 error=str(retry))
            else:
                media.mark_failed(session, row=row, now=now, error=failed or f"gave up: {retry}")
            session.flush()
            if not media.unsettled(session, message_id=job.message_id):
                media.release_message(session, message_id=job.message_id,
                                      text=understood_text(session, job.message_id))
            session.commit()


def backoff(attempts: int, hint: float | None) -> timedelta:
    return timedelta(seconds=max(hint or 0, min(600, 10 * 2 ** attempts)))


def understood_text(session: Any, message_id: int) -> str:
    """What the message says once its images are read: the typed words, then the words read, image by image."""
    message = session.get(Message, message_id)
    read = [row.recognized_text for row in media.media_of_message(session, message_id=message_id)
            if row.kind == "image" and row.recognized_text]
    return "\n".join(part for part in (message.text if message else "", *read) if part).strip()[:MAX_TEXT]


__all__ = ["MediaWorker", "Reading", "backoff", "understood_text"]
