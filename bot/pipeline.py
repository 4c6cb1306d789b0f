"""Inbox → worker: store first (deduplicated), answer the request, then classify and act in one transaction."""
from __future__ import annotations

import asyncio
import logging
import random
import time
from concurrent.futures import Executor
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy.engine import Engine

from bot.channels.kit.inbound import short
from bot import retrying
from bot.intake import Intake
from bot.clock import Clock
from bot.wake import wake_or_timeout
from handlers.dispatch import handle_message
from handlers.faq import Library
from handlers.message import ChannelDirectory, GroupMessage, MediaRef
from handlers.nlu.priority import intake_priority
from handlers.privacy import mask_personal
from storage import claims, inbox, media, scam_words
from storage.db import session as new_session
from storage.models import Message

log = logging.getLogger(__name__)
BATCH = 16  # messages claimed at a time (bench/lane_bench.py); each is still handled in its own transaction
HANDLED, DONE, FAILED, SKIPPED = "handled", "done", "failed", "skipped"
SCAM_WORD_REFRESH = timedelta(seconds=60)  # other processes' /scamword additions reach this one within this


class Pipeline:
    def __init__(self, *, engine: Engine, executor: Executor, config: Any, clock: Clock, classifier: Any,
                 routes: Any, channels: ChannelDirectory, on_written: Callable[[], None] = lambda: None,
                 on_media: Callable[[], None] = lambda: None, faq: Library | None = None,
                 rng: random.Random | None = None, intake: Intake, batch: int = BATCH,
                 observe: Callable[[str, float], None] = lambda stage, seconds: None) -> None:
        self.engine, self.executor, self.config, self.clock = engine, executor, config, clock
        self.intake = intake  # where accept stores; its on_stored calls self.stored
        self.classifier, self.routes, self.on_written = classifier, routes, on_written
        self.on_media = on_media  # wakes the media worker when a message brought media
        self.channels = channels
        self.faq = faq or Library()  # the FAQ this process serves; it follows the officers' entries by itself
        self.wake = asyncio.Event()
        self._scam_words_loaded: datetime | None = None
        self.rng = rng or random.Random()  # the jitter of retry waits
        self.paused_until: datetime | None = None  # the database could not even record a failure: wait
        self._outages = 0
        self.batch = batch
        self.observe = observe  # seconds spent on each message handled ("handle") or failed ("handle_failed")
    async def accept(self, msg: GroupMessage) -> int:
        """Store one inbound message durably (the intake's group commit); a redelivery finds the stored row.
        Returns its id once committed."""
        now = self.clock.now()
        values = inbox.message_values(
            channel=msg.channel, channel_msg_id=msg.channel_msg_id, chat_id=msg.chat_id, sender_id=msg.sender_id,
            text=msg.text, sent_at=msg.sent_at, received_at=now, is_direct=msg.is_direct,
            mentions_bot=msg.mentions_bot, sender_name=msg.sender_name, reply_hint=msg.reply_hint,
            kind=msg.kind, media_pending=msg.waits_for_media, details=msg.details,
            priority=intake_priority(msg.text),
        )
        media_rows = [media_values(ref, channel=msg.channel, now=now) for ref in msg.media]
        message_id, is_new = await self.intake.store(values, media_rows)
        if not is_new:
            log.info("duplicate delivery %s:%s ignored", msg.channel, short(msg.channel_msg_id))
        return message_id

    def stored(self, new: int, with_media: bool) -> None:
        """A batch of accepted messages is committed: wake the worker once (and the media worker)."""
        if new:
            self.wake.set()
        if with_media:
            self.on_media()

    async def run_once(self) -> int:
        """Handle every stored, unhandled message; returns how many were handled (or tried). The outbox sender is
        woken after each batch, so a warning written early in a long backlog goes out while the rest is handled."""
        loop = asyncio.get_running_loop()
        handled = 0
        while count := await loop.run_in_executor(self.executor, self.process_batch):
            handled += count
            self.on_written()
        return handled

    async def run_forever(self, poll_seconds: float = 2.0) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # keep the worker alive; the failing message is recorded by process_batch
                log.exception("pipeline worker error")
            await wake_or_timeout(self.wake, poll_seconds)
            self.wake.clear()

    def refresh_scam_words(self) -> None:
        """Load the officer-added scam words from the database into the classifier."""
        with new_session(self.engine) as session:
            words = scam_words.all_words(session)
        self.classifier.set_scam_words(words)
        self._scam_words_loaded = self.clock.now()

    def process_next(self) -> bool:
        """Handle the next batch of messages; False when none was due."""
        return self.process_batch() > 0

    def process_batch(self) -> int:
        """Claim up to ``batch`` handleable messages (the priority lane first, each chat in arrival order) and handle
        each in its own transaction. Returns how many were handled or tried: 0 when none is left, and while the
        database is out (a failure could not be recorded): the worker then waits, backing off."""
        now = self.clock.now()
        if self.paused_until is not None and now < self.paused_until:
            return 0
        try:
            return self._process_batch()
        except Exception as exc:
            if not retrying.is_transient(exc):
                raise
            self._outages += 1
            self.paused_until = now + retrying.delay(self._outages, self.rng)
            log.warning("database unavailable (%s); worker waits until %s", type(exc).__name__, self.paused_until)
            return 0

    def _process_batch(self) -> int:
        if self._scam_words_loaded is None or self.clock.now() - self._scam_words_loaded >= SCAM_WORD_REFRESH:
            self.refresh_scam_words()
        with new_session(self.engine) as session:
            batch = claims.candidates(session, now=self.clock.now(), limit=self.batch)
        held: set[tuple[str, str]] = set()  # chats whose next message this run may not take now
        tried = 0
        for candidate in batch:
            if candidate.chat in held:
                continue
            started = time.perf_counter()
            outcome = self._handle(candidate.id)
            if outcome in (HANDLED, FAILED):  # the others (done elsewhere, skipped) did no work
                self.observe("handle" if outcome == HANDLED else "handle_failed", time.perf_counter() - started)
            if outcome in (FAILED, SKIPPED):
                held.add(candidate.chat)
            tried += outcome in (HANDLED, FAILED)
        if tried:
            self._outages, self.paused_until = 0, None
        return tried

    def _handle(self, message_id: int) -> str:
        """Handle one message in its own transaction: HANDLED; DONE (handled meanwhile by another process or absorbed
        as a repeat, or parked: the chat goes on); FAILED (recorded for its retry) or SKIPPED (another process holds
        it or handled it first, or it waits for its retry): then the chat's later messages wait."""
        now = self.clock.now()
        with new_session(self.engine) as session:
            message = claims.lock(session, message_id=message_id)
            if message is None or not claims.is_due(message, now):
                return SKIPPED
            if message.handled_at is not None or message.parked_at is not None or message.media_pending:
                return DONE  # handled meanwhile (another process, or absorbed as a repeat), or out of the queue
            try:
                handle_message(session, message=message, config=self.config, now=now, classifier=self.classifier,
                               routes=self.routes, channels=self.channels, faq=self.faq)
                if message.case_id is not None and message.kind != "text":
                    media.attach_to_case(session, message_id=message_id, case_id=message.case_id)
                if not claims.mark_handled(session, message=message, now=now):
                    session.rollback()  # another process handled it first (SQLite: nothing is locked)
                    return SKIPPED
                session.commit()
            except Exception as exc:
                session.rollback()
                log.exception("message %s failed: %s", message_id, short(mask_personal(str(exc)), 500))
                self._record_failure(message_id, exc)  # raises while the database is out: nothing is lost
                return FAILED
        return HANDLED

    def _record_failure(self, message_id: int, exc: Exception) -> None:
        """Count the try; due again after a backoff, or parked after the last try (never marked handled)."""
        now = self.clock.now()
        with new_session(self.engine) as session:
            message = session.get(Message, message_id)
            message.attempts += 1
            message.error = mask_personal(f"{type(exc).__name__}: {exc}")[:500]
            if message.attempts >= retrying.tries_for(exc):
                message.parked_at, message.next_attempt_at = now, None
                log.error("message %s parked after %s tries", message_id, message.attempts)
            else:
                message.next_attempt_at = now + retrying.delay(message.attempts, self.rng)
            session.add(message)
            session.commit()


def media_values(ref: MediaRef, *, channel: str, now: datetime) -> dict:
    """The media row of one reference, stored with its message and fetched later by the media worker."""
    return {"kind": ref.kind, "channel": channel, "source": ref.source, "ref": ref.ref[:2000], "name": ref.name[:200],
            "declared_format": ref.format[:20], "inline_data": ref.data, "state": media.PENDING, "attempts": 0,
            "next_attempt_at": now, "created_at": now, "content_type": "", "size": 0, "sha256": "",
            "store_key": "", "reading": "none", "recognized_text": "", "qr_payloads": []}
