"""The outbox sender: drains due rows to their channel with retries, backoff and a lease against doubles."""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from datetime import timedelta

from sqlalchemy.engine import Engine

from bot.channels.base import (
    OutboundMessage,
    PermanentFailure,
    Sender,
    TemporaryFailure,
    Throttled,
)
from bot.clock import Clock
from storage import outbox
from storage.db import session as new_session
from storage.models import Outbox

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=120)  # a claimed row is due again after this if its sender died mid-send
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(5 * 2 ** max(attempts - 1, 0), 3600))


class OutboxSender:
    def __init__(self, *, engine: Engine, executor: Executor, clock: Clock, senders: dict[str, Sender],
                 batch: int = 50) -> None:
        self.engine, self.executor, self.clock, self.senders, self.batch = engine, executor, clock, senders, batch
        self.wake = asyncio.Event()

    async def drain_once(self) -> int:
        """Send every row that is due now, once each. Returns how many were sent."""
        loop = asyncio.get_running_loop()
        rows = await loop.run_in_executor(self.executor, self._claim)
        sent = 0
        for row in rows:
            outcome = await self._send(row)
            await loop.run_in_executor(self.executor, self._settle, row.id, outcome)
            sent += outcome is None
        return sent

    async def run_forever(self, poll_seconds: float = 1.0) -> None:
        while True:
            try:
                while await self.drain_once():
                    pass
            except Exception:
                log.exception("outbox sender error")
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=poll_seconds)
            except asyncio.TimeoutError:
                pass
            self.wake.clear()

    def _claim(self) -> list[OutboundMessage]:
        now = self.clock.now()
        with new_session(self.engine) as session:
            rows = outbox.claim_due(session, now=now, limit=self.batch)
            claimed = [_outbound(row) for row in rows]
            for row in rows:
                row.next_attempt_at = now + LEASE
                session.add(row)
            session.commit()
        return claimed

    async def _send(self, message: OutboundMessage) -> Exception | None:
        sender = self.senders.get(message.channel)
        if sender is None:
            return PermanentFailure(f"no sender for channel {message.channel!r}")
        try:
            await sender.send(message)
            return None
        except (TemporaryFailure, PermanentFailure) as exc:
            return exc
        except Exception as exc:  # an unexpected sender bug: retry, never lose the row
            log.exception("sender %s crashed on outbox %s", message.channel, message.id)
            return TemporaryFailure(f"{type(exc).__name__}: {exc}")

    def _settle(self, row_id: int, outcome: Exception | None) -> None:
        now = self.clock.now()
        with new_session(self.engine) as session:
            row = session.get(Outbox, row_id)
            if outcome is None:
                outbox.mark_sent(session, row=row, now=now)
            elif isinstance(outcome, Throttled):  # a rate limit: wait, without spending an attempt
                delay = timedelta(seconds=outcome.retry_after or backoff(1).total_seconds())
                outbox.postpone(session, row=row, now=now, delay=delay, reason=str(outcome))
            elif isinstance(outcome, PermanentFailure) or row.attempts + 1 >= MAX_ATTEMPTS:
                log.warning("outbox %s failed for good: %s", row_id, outcome)
                outbox.mark_failed(session, row=row, now=now, error=str(outcome))
            else:
                hint = getattr(outcome, "retry_after", None)
                delay = timedelta(seconds=hint) if hint else backoff(row.attempts + 1)
                outbox.mark_retry(session, row=row, now=now, delay=delay, error=str(outcome))
            session.commit()


def _outbound(row: Outbox) -> OutboundMessage:
    return OutboundMessage(
        id=row.id, channel=row.channel, chat_id=row.chat_id, text=row.text, idempotency_key=row.idempotency_key,
        is_direct=row.is_direct, mentions=tuple(row.mentions), reply_hint=dict(row.reply_hint),
    )
