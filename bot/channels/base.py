"""What every channel adapter shares: its errors and the outbound message shape."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class ChannelError(Exception):
    """An inbound request we refuse. ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """One outbox row as a sender sees it."""

    id: int
    channel: str
    chat_id: str  # channel's id of the group, or of the person for a direct chat
    text: str
    idempotency_key: str
    is_direct: bool = False
    mentions: tuple[str, ...] = ()  # channel ids of people to @-mention
    reply_hint: dict = field(default_factory=dict)


class TemporaryFailure(Exception):
    """Sending failed but may succeed later; ``retry_after`` seconds is a hint."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Throttled(TemporaryFailure):
    """A rate limit (ours or the platform's) said "not now": the message did not fail, it waits."""


class PermanentFailure(Exception):
    """Sending can never succeed (bad target, rejected content): mark it failed."""


class Sender(Protocol):
    channel: str

    async def send(self, message: OutboundMessage) -> None:
        """Deliver one message or raise TemporaryFailure / PermanentFailure."""
