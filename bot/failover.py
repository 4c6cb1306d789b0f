"""Which channels a group's copy may go by, and what each outcome means for its receipt.

A notice, warning or broadcast to a group goes by the group's own channel first. When that channel surely did not
take it (its account's budget is spent, the gateway is down: ``NotDelivered``) and the group has another channel
(a bridge group with the ``webhook_key`` of its WeCom group robot, in config.toml or on record from ``gridbot
import groups``; then, when ``[mp] notice_template_id`` is set, the grid's followers of the Official Account by
template message: bot/follower_notices.py), the same copy goes by that one. A channel with no way to the group
(``NoRoute``: no robot key, no follower) is passed over and leaves the receipt's reason as it was. A copy whose
send ended in doubt (a timeout) is retried only on the channel it was in doubt on, so no group gets it twice.
A direct message never changes channel: nothing private ever goes to a group.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from bot.channels.base import (
    BudgetSpent,
    NoRoute,
    NotDelivered,
    OutboundMessage,
    PermanentFailure,
    TemporaryFailure,
    Throttled,
)
from storage.models import Outbox

FAILOVER_KINDS = frozenset({"broadcast", "notice", "alert"})
ROBOT = "aibot"  # the channel whose webhook sender posts to a group's WeCom group robot
KEPT_HINTS = ("audience", "origin")  # what a rerouted copy keeps of its hint: not the first channel's ids
# a group's channel → the other channels its groups may go by, in order (bridge: its WeCom group robot, then the
# grid's followers of the Official Account); one with no way to a given group answers NoRoute for it
Routes = Mapping[str, tuple[str, ...]]


def tracked(row: Outbox) -> bool:
    """Whether the copy keeps a receipt (and may fail over): a notice, warning or broadcast to a group."""
    return not row.is_direct and row.kind in FAILOVER_KINDS


def channels_to_try(row: Outbox, routes: Routes, available: set[str], doubtful: str = "") -> list[str]:
    if doubtful:
        return [doubtful]
    if not tracked(row):
        return [row.channel]
    others = [c for c in routes.get(row.channel, ()) if c in available and c != row.channel]
    return [row.channel, *others]


def rerouted(message: OutboundMessage, channel: str) -> OutboundMessage:
    """The same copy (same idempotency key) on another channel of the group; mentions and reply hints are the
    first channel's ids, so they stay behind; the hint says which channel the group is on, and whom the copy is
    for (bot/follower_notices.py)."""
    kept = {key: message.reply_hint[key] for key in KEPT_HINTS if key in message.reply_hint}
    return replace(message, channel=channel, mentions=(), reply_hint={**kept, "rerouted_from": message.channel})


def no_route(outcome: Exception | None) -> bool:
    """The channel had no way to the group at all: the outcome before it stands."""
    return isinstance(outcome, NoRoute)


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
