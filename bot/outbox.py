"""The outbox sender: drains due rows to their channel with retries, backoff, rate limits and short leases.

Each process leases a small batch of due rows (alerts first) under its instance name and a token of this run. A
heartbeat renews the lease while the batch is being sent, each row is checked to be still held just before it is
sent, and each row is settled as soon as its own send finishes. A restarted instance frees the rows its earlier run
held at once; the rows of a process that is gone for good are due again when their short lease runs out.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from concurrent.futures import Executor
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Awaitable, Callable

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from bot.channels.base import (
    BudgetUnknown,
    OutboundMessage,
    Paced,
    PermanentFailure,
    Sender,
    TemporaryFailure,
    Throttled,
)
from bot import failover, send_turns
from bot.clock import Clock
from bot.follower_notices import FOLLOWERS
from bot.wake import stop_tasks, wake_or_timeout
from storage import groups, outbox, receipts
from storage.db import session as new_session
from storage.models import Outbox

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=30)  # renewed every third of it while held; a dead holder's rows are due after it
BATCH = 10
MAX_ATTEMPTS = 8
STOP_GRACE = 5.0  # seconds a stopping process waits for its sends in flight (each send's own timeout is longer)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(5 * 2 ** max(attempts - 1, 0), 3600))


def default_instance() -> str:
    """A name no other live process has (not stable across restarts: `gridbot serve` passes host:port)."""
    return f"{socket.gethostname()}:pid{os.getpid()}"


class OutboxSender:
    def __init__(self, *, engine: Engine, executor: Executor, clock: Clock, senders: dict[str, Sender],
                 batch: int = BATCH, lease: timedelta = LEASE, instance: str | None = None,
                 pulse: Callable[[], Awaitable[None]] | None = None, routes: failover.Routes | None = None) -> None:
        """``pulse``: waits between two renewals (default a third of the lease; tests beat it by hand).
        ``routes``: each group's other channels (bot/failover.py)."""
        self.engine, self.executor, self.clock, self.senders, self.batch = engine, executor, clock, senders, batch
        self.routes = dict(routes or {})
        self._paused: dict[str, tuple[datetime, frozenset[str]]] = {}  # channel → (pause ends, kinds it holds)
        self.lease, self.instance, self.token = lease, instance or default_instance(), uuid.uuid4().hex
        self.pulse = pulse or (lambda: asyncio.sleep(lease.total_seconds() / 3))
        self.wake = asyncio.Event()
        self._run_begun = False
        self._stopping = False

    async def drain_once(self) -> int:
        """Send every row that is due now, once each; chats side by side, each chat's rows in order. Returns how
        many were sent."""
        if self._stopping:
            return 0
        if not self._run_begun:
            await self._db(self._begin_run)
            self._run_begun = True
        rows = await self._db(self._claim)
        held = {row.id for row in rows}
        chats: dict[tuple[str, str], list[Outbox]] = {}
        for row in rows:  # alerts first, then oldest: the order of each chat's list and of the chats
            chats.setdefault((row.channel, row.chat_id), []).append(row)
        begun: set[int] = set()  # rows whose send began: a row cut off mid-send keeps its lease (it may have arrived)
        heartbeat = asyncio.create_task(self._heartbeat(held), name="outbox-heartbeat")
        try:
            sent = sum(await asyncio.gather(*(self._send_in_order(chat, held, begun) for chat in chats.values())))
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
            unbegun = tuple(held - begun)
            if self._stopping and unbegun:  # due now, not leased to a process that is going away
                await asyncio.shield(self._db(self._release_held, unbegun))
        return sent

    async def _send_in_order(self, rows: list[Outbox], held: set[int], begun: set[int]) -> int:
        sent = 0
        for row in rows:
            if self._stopping:
                break
            if row.id not in held or not await self._db(self._renew, (row.id,)):
                log.warning("outbox %s: lease lost before sending; left to its new holder", row.id)
                continue
            if self._stopping:  # the stop came while the lease was renewed: this row is not begun either
                break
            begun.add(row.id)
            outcome, via = self._pause_of(row), row.channel
            if outcome is None:  # a channel pausing between two sends is not called until the pause ends
                outcome, via = await self._deliver(row)
                if isinstance(outcome, Paced):
                    self._paused[via] = (self.clock.now() + timedelta(seconds=outcome.retry_after), outcome.kinds)
            # the outcome is known: it is recorded even when the process is stopping (a settlement cancelled in the
            # database thread's queue would leave a delivered row leased, to be sent again after its lease)
            await asyncio.shield(self._db(self._settle, row, outcome, via))
            held.discard(row.id)
            sent += outcome is None
        return sent

    async def run_forever(self, poll_seconds: float = 1.0) -> None:
        while not self._stopping:
            try:
                while await self.drain_once():
                    pass
            except Exception:
                log.exception("outbox sender error")
            if not self._stopping:
                await wake_or_timeout(self.wake, self.pause_left(poll_seconds))
                self.wake.clear()

    async def stop(self, running: asyncio.Task, grace: float = STOP_GRACE) -> None:
        """Stop ``running`` (this sender's ``run_forever``) without cutting a send short: no row is begun any more,
        the sends in flight get up to ``grace`` seconds to end and be recorded (a send cut off mid-request may
        have reached the platform, and would be sent again after its lease), then the task is cancelled."""
        self._stopping = True
        self.wake.set()
        done, _ = await asyncio.wait([running], timeout=grace)
        if not done:
            log.warning("outbox: sends still in flight after %.0f s of stopping; cut off", grace)
            await stop_tasks([running])

    def pause_left(self, longest: float) -> float:
        """Seconds until the first channel's pause ends (its rows are due then), at most ``longest``."""
        now = self.clock.now()
        ends = [(until - now).total_seconds() for until, _ in self._paused.values() if until > now]
        return min([longest, *ends])

    def _pause_of(self, row: Outbox) -> Paced | None:
        until, kinds = self._paused.get(row.channel, (None, frozenset()))
        now = self.clock.now()
        if until is None or until <= now or row.kind not in kinds:
            return None
        return Paced(f"{row.channel}: pausing between sends", retry_after=(until - now).total_seconds(), kinds=kinds)

    def paused_kinds(self) -> dict[str, frozenset[str]]:
        """The rows each pausing channel holds back now (its kinds), for the claim to leave alone."""
        now = self.clock.now()
        return {channel: kinds for channel, (until, kinds) in self._paused.items() if until > now}

    async def _db(self, fn, *args):  # noqa: ANN001, ANN202
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    async def _heartbeat(self, held: set[int]) -> None:
        """Renew the lease of the batch's unsettled rows every third of the lease; drop the rows found lost."""
        while held:
            await self.pulse()
            asked = set(held)
            try:
                kept = await self._db(self._renew, tuple(asked))
            except Exception:  # the database is away: the per-row check before each send decides
                log.exception("outbox lease renewal failed")
                continue
            held.difference_update(asked - kept)

    def _show_recorded_turns(self) -> None:
        """A channel with a send budget (the bridge account) shows the sends of the last day on record: this
        process's earlier run's and every other process's (each send takes its turn there: bot/send_turns.py)."""
        for channel, sender in self.senders.items():
            budget = getattr(sender, "budget", None)
            if budget is not None:
                try:
                    send_turns.load_turns(self.engine, budget=budget, account=channel)
                except Exception as exc:  # shown only: each send reads the record again before it goes
                    log.warning("outbox: %s send budget unreadable at start (%s)", channel, type(exc).__name__)

    def _release_held(self, row_ids: tuple[int, ...]) -> None:
        with new_session(self.engine) as session:
            outbox.release_held(session, row_ids=row_ids, token=self.token, now=self.clock.now())
            session.commit()

    def _begin_run(self) -> None:
        """Once, before this run's first claim: take back an earlier run's rows; show the budgets their record."""
        with new_session(self.engine) as session:
            freed = outbox.release_stale_runs(session, owner=self.instance, token=self.token, now=self.clock.now())
            session.commit()
        self._show_recorded_turns()
        if freed:
            log.info("outbox: %d row(s) leased by an earlier run of %s are due now", freed, self.instance)

    def _claim(self) -> list[Outbox]:
        with new_session(self.engine) as session:
            rows = outbox.claim_due(session, now=self.clock.now(), limit=self.batch, owner=self.instance,
                                    token=self.token, lease=self.lease, paused=self.paused_kinds())
            session.commit()
        return rows

    def _renew(self, ids: tuple[int, ...]) -> set[int]:
        with new_session(self.engine) as session:
            kept = outbox.renew(session, ids=ids, token=self.token, now=self.clock.now(), lease=self.lease)
            session.commit()
        return kept

    async def _deliver(self, row: Outbox) -> tuple[Exception | None, str]:
        """Send by the row's channel, then by the group's other channels while each surely did not take it;
        returns the outcome and the channel last tried."""
        message = _outbound(row)
        tried_before = failover.tracked(row) and row.last_error is not None
        doubtful = await self._db(self._doubtful, row.id) if tried_before else ""
        outcome: Exception | None = None
        via, tried = row.channel, False
        for channel in failover.channels_to_try(row, self.routes, set(self.senders), doubtful):
            attempt = await self._send(await self._copy_for(message, channel, group_channel=row.channel))
            if failover.no_route(attempt) and tried:  # no way to the group there: the outcome so far stands
                continue
            outcome, via, tried = attempt, channel, True
            if not failover.may_try_next(outcome):
                break
        return outcome, via

    async def _copy_for(self, message: OutboundMessage, channel: str, *, group_channel: str) -> OutboundMessage:
        """The copy as ``channel`` sends it: rerouted when that is not the group's own channel; to a group robot,
        with the robot's key on record (a group imported with ``gridbot import groups`` or listed in config.toml;
        not looked up for a reply that has the AI bot's response_url);
        to the followers, with this run's lease (the follower copies are queued only while it holds the row)."""
        copy = message if channel == group_channel else failover.rerouted(message, channel)
        if channel == failover.ROBOT and not message.is_direct and "response_url" not in message.reply_hint:
            key = await self._db(self._webhook_key, group_channel, message.chat_id)
            return replace(copy, reply_hint={**copy.reply_hint, "webhook_key": key}) if key else copy
        if channel == FOLLOWERS:
            return replace(copy, reply_hint={**copy.reply_hint, "lease_token": self.token})
        return copy

    def _webhook_key(self, channel: str, chat_id: str) -> str:
        with new_session(self.engine) as session:
            group = groups.find_group(session, channel=channel, chat_id=chat_id)
            return group.webhook_key if group is not None else ""

    def _take_turn(self, budget, message: OutboundMessage) -> Throttled | None:  # noqa: ANN001
        return send_turns.take_turn(self.engine, budget=budget, message=message)

    def _doubtful(self, row_id: int) -> str:
        with new_session(self.engine) as session:
            return receipts.doubtful_channel(session, outbox_id=row_id)

    async def _send(self, message: OutboundMessage) -> Exception | None:
        sender = self.senders.get(message.channel)
        if sender is None:
            return PermanentFailure(f"no sender for channel {message.channel!r}")
        budget = getattr(sender, "budget", None)  # an account with a send budget: its turn first, in the database
        if budget is not None:
            holds_back = getattr(sender, "holds_back", None)  # the sender's own per-chat limit, asked first:
            held = holds_back(message) if holds_back else None  # a copy it would refuse spends no turn
            if held is not None:
                return held
            try:
                refused = await self._db(self._take_turn, budget, message)
            except DBAPIError as exc:  # the database is away or busy: nothing sent; the copy waits, no attempt spent
                log.warning("outbox %s: %s send budget unreadable (%s)", message.id, message.channel,
                            type(exc).__name__)
                return BudgetUnknown(f"{message.channel}: send budget unreadable", retry_after=5)
            if refused is not None:
                return refused
        try:
            await sender.send(message)
            return None
        except (TemporaryFailure, PermanentFailure) as exc:
            return exc
        except Exception as exc:  # an unexpected sender bug: retry, never lose the row
            log.exception("sender %s crashed on outbox %s", message.channel, message.id)
            return TemporaryFailure(f"{type(exc).__name__}: {exc}")

    def _settle(self, row: Outbox, outcome: Exception | None, via: str) -> None:
        now = self.clock.now()
        with new_session(self.engine) as session:
            if outcome is None:
                settled = outbox.settle_sent(session, row_id=row.id, now=now)
            else:
                values = _after(row, outcome, now)
                settled = outbox.settle_held(session, row_id=row.id, token=self.token, **values)
            if settled and failover.tracked(row):
                _note_receipt(session, row, outcome, via, now, failed=outcome is not None and "status" in values)
            session.commit()
        if not settled:
            log.warning("outbox %s: lease lost during the send; %s left to its new holder", row.id,
                        "delivered, the gateway's idempotency key covers a repeat" if outcome is None else "outcome")


def _after(row: Outbox, outcome: Exception, now) -> dict:  # noqa: ANN001
    """The columns a failed send leaves: postponed (rate limit), failed for good, or a retry after backoff."""
    if isinstance(outcome, Throttled):  # a rate limit: wait, without spending an attempt
        delay = timedelta(seconds=outcome.retry_after or backoff(1).total_seconds())
        return {"next_attempt_at": now + delay, "last_error": str(outcome)[:500]}
    if isinstance(outcome, PermanentFailure) or row.attempts + 1 >= MAX_ATTEMPTS:
        log.warning("outbox %s failed for good: %s", row.id, outcome)
        return {"status": "failed", "attempts": row.attempts + 1, "last_error": str(outcome)[:500]}
    hint = getattr(outcome, "retry_after", None)
    delay = timedelta(seconds=hint) if hint else backoff(row.attempts + 1)
    return {"attempts": row.attempts + 1, "next_attempt_at": now + delay, "last_error": str(outcome)[:500]}


def _note_receipt(session, row: Outbox, outcome: Exception | None, via: str, now,  # noqa: ANN001
                  *, failed: bool) -> None:
    if outcome is None:
        receipts.note(session, outbox_id=row.id, now=now, channel=via)
    else:
        receipts.note(session, outbox_id=row.id, now=now, reason=failover.reason_of(outcome, failed=failed),
                      doubtful=via if failover.is_doubtful(outcome) else None)


def _outbound(row: Outbox) -> OutboundMessage:
    return OutboundMessage(
        id=row.id, channel=row.channel, chat_id=row.chat_id, text=row.text, idempotency_key=row.idempotency_key,
        is_direct=row.is_direct, mentions=tuple(row.mentions), reply_hint=dict(row.reply_hint), kind=row.kind,
    )
