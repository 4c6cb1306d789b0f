"""Which channels a group's copy may go by, and what each outcome means for its receipt.

A notice, warning or broadcast to a group goes by the group's own channel first. When that channel surely did not
take it (its account's budget is spent, the gateway is down: ``NotDelivered``) and the group has another channel
(a bridge group listed with the ``webhook_key`` of its WeCom group robot), the same copy goes by that one. A copy
whose send ended in doubt (a timeout) is retried only on the channel it was in doubt on, so no group gets it twice.
A direct message never changes channel: nothing private ever goes to a group.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from bot.channels.base import (
    BudgetSpent,
    NotDelivered,
    OutboundMessage,
    PermanentFailure,
    TemporaryFailure,
    Throttled,
)
from storage.models import Outbox

FAILOVER_KINDS = frozenset({"broadcast", "notice", "alert"})
Routes = Mapping[tuple[str, str], tuple[str, ...]]  # (channel, chat id) → the group's other channels, in order


def tracked(row: Outbox) -> bool:
    """Whether the copy keeps a receipt (and may fail over): a notice, warning or broadcast to a group."""
    return not row.is_direct and row.kind in FAILOVER_KINDS


def channels_to_try(row: Outbox, routes: Routes, available: set[str], doubtful: str = "") -> list[str]:
    if doubtful:
        return [doubtful]
    if not tracked(row):
        return [row.channel]
    others = [c for c in routes.get((row.channel, row.chat_id), ()) if c in available and c != row.channel]
    return [row.channel, *others]


def rerouted(message: OutboundMessage, channel: str) -> OutboundMessage:
    """The same copy (same idempotency key) on another channel of the group; mentions and reply hints are the
    first channel's ids, so they stay behind."""
    return replace(message, channel=channel, mentions=(), reply_hint={})


def may_try_next(outcome: Exception | None) -> bool:
    return isinstance(outcome, NotDelivered)


def is_doubtful(outcome: Exception | None) -> bool:
    return isinstance(outcome, TemporaryFailure) and not isinstance(outcome, (NotDelivered, Throttled))


def reason_of(outcome: Exception, *, failed: bool) -> str:
    """The receipt's reason code (``texts.RECEIPT_REASONS`` names it for officers)."""
    if isinstance(outcome, PermanentFailure):
        return "refused"
    if failed:
        return "gave_up"
    if isinstance(outcome, BudgetSpent):
        return "budget"
    if isinstance(outcome, NotDelivered):
        return "down"
    if isinstance(outcome, Throttled):
        return "throttled"
    return "unsure"
