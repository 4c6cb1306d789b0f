"""Which channels a group's copy may go by, and what each outcome means for its receipt.

A notice, warning or broadcast to a group goes by the group's own channel first. When that channel surely did not
take it (its account's budget is spent, the gateway is down: ``NotDelivered``) and the group has another channel
(a bridge group listed with the ``webhook_key`` of its WeCom group robot; then, when ``[mp] notice_template_id`` is
set, the grid's followers of the Official Account by template message: bot/follower_notices.py), the same copy goes
by that one. A copy whose send ended in doubt (a timeout) is retried only on the channel it was in doubt on, so no group gets it twice.
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


class FailoverRoutes(Mapping):
    """Each group's other channels: its own (a group robot), then those every group of its channel has (the
    Official Account's followers)."""

    def __init__(self, by_group: Routes, by_channel: Mapping[str, tuple[str, ...]]) -> None:
        self._by_group, self._by_channel = dict(by_group), dict(by_channel)

    def __getitem__(self, key: tuple[str, str]) -> tuple[str, ...]:
        found = self._by_group.get(key, ()) + self._by_channel.get(key[0], ())
        if not found:
            raise KeyError(key)
        return found

    def __iter__(self):  # noqa: ANN204
        return iter(self._by_group)

    def __len__(self) -> int:
        return len(self._by_group)


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
    first channel's ids, so they stay behind; the hint says which channel the group is on."""
    return replace(message, channel=channel, mentions=(), reply_hint={"rerouted_from": message.channel})


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
