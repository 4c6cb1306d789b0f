"""What every channel shares: its errors, the outbound message shape, its settings base and its spec."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from bot.clock import Clock
from handlers.message import GroupMessage


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
    kind: str = "reply"  # the outbox row's kind: reply, alert, notice, broadcast …


class TemporaryFailure(Exception):
    """Sending failed but may succeed later; ``retry_after`` seconds is a hint."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Throttled(TemporaryFailure):
    """A rate limit (ours or the platform's) said "not now": the message did not fail, it waits."""


class Paced(Throttled):
    """The whole account pauses (a gap between two sends): no more rows of ``kinds`` on this channel before
    ``retry_after``."""

    def __init__(self, reason: str, retry_after: float, kinds: frozenset[str]) -> None:
        super().__init__(reason, retry_after)
        self.kinds = kinds


class NotDelivered(TemporaryFailure):
    """The platform surely did not take the message (connection refused, 429, 503): it may go another way."""


class NoRoute(NotDelivered):
    """This channel has no way to the group (no group robot key, no follower of the Official Account): the copy
    was never sent, and the group's own channel's outcome is what its receipt shows."""


class BudgetSpent(NotDelivered, Throttled):
    """An account's send budget is spent: nothing was sent, and this channel waits until ``retry_after``."""


class BudgetUnknown(NotDelivered, Throttled):
    """An account's send budget could not be read (its record in the database): nothing was sent, and the copy
    waits without spending an attempt, or goes by the group's other channel."""


class PermanentFailure(Exception):
    """Sending can never succeed (bad target, rejected content): mark it failed."""


class Sender(Protocol):
    channel: str

    async def send(self, message: OutboundMessage) -> None:
        """Deliver one message or raise TemporaryFailure / PermanentFailure."""


class ChannelSettings(BaseModel):
    """A channel's config section (``[wecom]``, ``[bridge]`` …); ``required`` keys must be set when enabled."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    enabled: bool = False
    window_seconds: int = Field(default=300, ge=30, le=3600)
    required: ClassVar[tuple[str, ...]] = ()


@dataclass(frozen=True)
class SenderDeps:
    """What a channel's sender may use: the shared HTTP session, the clock, the shared token store, the config."""

    session: Any  # aiohttp.ClientSession
    clock: Clock
    token_store: Any  # bot.channels.wechat.api.TokenStore
    config: Any  # bot.config.Config


Accept = Callable[[GroupMessage], Awaitable[object]]
View = Callable[[web.Request], Awaitable[web.StreamResponse]]
Route = tuple[str, str, View]  # (method, path, view)


class Adapter(Protocol):
    """An inbound callback: verifies and parses requests on ``path`` and hands messages to ``accept``."""

    channel: str
    path: str
    methods: tuple[str, ...]

    async def handle(self, request: web.Request, accept: Accept) -> web.Response: ...


def adapter_routes(adapter: Adapter, accept: Accept) -> list[Route]:
    """The routes of one callback adapter, each method on its path."""
    async def view(request: web.Request) -> web.Response:
        return await adapter.handle(request, accept)

    view.__name__ = f"{adapter.channel}_callback"
    return [(method, adapter.path, view) for method in adapter.methods]


def mount(app: web.Application, routes: list[Route]) -> list[str]:
    """Add routes to the app; returns their paths, each once."""
    for method, path, view in routes:
        app.router.add_route(method, path, view)
    return list(dict.fromkeys(path for _, path, _ in routes))


@dataclass(frozen=True)
class Channel:
    """Everything the core knows of one channel; each channel module defines one as ``CHANNEL``.

    ``identity`` names the account family of the ids a channel speaks (the key in ``[[people]] accounts``;
    the WeCom app and the AI bot share ``wecom``); None means the person's own id (the sandbox).
    ``direct``: the channel can message one person, so people with an ``identity`` account get direct
    messages there (the first such channel in the registry wins).
    ``routes(settings, clock, accept)``: the channel's routes; ``sender(settings, deps)``: its outbound sender.
    """

    name: str
    title: str  # the channel as officers read it (企业微信应用)
    settings: type[ChannelSettings]
    routes: Callable[[Any, Clock, Accept], list[Route]]
    sender: Callable[[Any, SenderDeps], Sender] | None = None
    identity: str | None = None
    direct: bool = False
    # ``media(settings, deps)``: the fetcher of the photos, voice notes and files its messages refer to
    # (bot.media.fetch.MediaFetcher); None when its messages carry none or only inline bytes.
    media: Callable[[Any, SenderDeps], Any] | None = None
