"""The bridge (``POST /bridge``): events from gateways that connect personal-WeChat groups.

A gateway (e.g. a Wechaty bot) posts one JSON event per message, signed with
``X-Bridge-Signature = hex(HMAC-SHA256(secret, X-Bridge-Timestamp + "." + raw_body))``.
See docs/bridge.md for the event format. Membership events (``room-join`` …) become a
GroupMessage with empty text and ``reply_hint={"event": ..., "topic": ...}`` so the core can
notice a group it does not know yet.
"""
from __future__ import annotations

import base64
import binascii
import json
import logging
import random
from datetime import datetime, timezone
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from pydantic import Field, model_validator

from bot.channels.base import (
    Accept,
    Channel,
    ChannelError,
    ChannelSettings,
    OutboundMessage,
    PermanentFailure,
    Route,
    SenderDeps,
    Throttled,
    adapter_routes,
)
from bot.channels.kit.inbound import short
from bot.channels.kit.mentions import strip_mentions
from bot.channels.kit.rate_limit import RateLimiter
from bot.channels.kit.send_budget import SendBudget
from bot.channels.wechat import security as sec
from bot.channels.wechat.api import request_json
from bot.channels.wechat.content import Content, link_text, record_content, with_content
from bot.clock import Clock
from bot.media.fetch import Download, MediaJob, download
from handlers.message import GroupMessage, MediaRef, location_details

log = logging.getLogger("bot.channels.bridge")
TIMESTAMP_HEADER = "X-Bridge-Timestamp"
SIGNATURE_HEADER = "X-Bridge-Signature"
MEMBERSHIP_EVENTS = frozenset({"room-join", "room-leave", "room-topic"})
_MS_THRESHOLD = 10_000_000_000  # timestamps above this are milliseconds


class BridgeSettings(ChannelSettings):
    secret: str = ""
    outbound_url: str = ""
    max_body: int = Field(default=4 * 1024 * 1024, ge=64 * 1024, le=64 * 1024 * 1024)  # room for inline media
    # The account's send budget and the random gap between two sends (docs/bridge.md, "Send budget").
    hourly_budget: int = Field(default=120, ge=1, le=3600)
    daily_budget: int = Field(default=600, ge=1, le=20000)
    pace_min_seconds: float = Field(default=3.0, ge=0, le=600)
    pace_max_seconds: float = Field(default=8.0, ge=0, le=600)
    required = ("secret", "outbound_url")

    @model_validator(mode="after")
    def _budget_in_order(self) -> BridgeSettings:
        if self.pace_min_seconds > self.pace_max_seconds:
            raise ValueError(f"pace_min_seconds ({self.pace_min_seconds:g}) must not exceed pace_max_seconds "
                             f"({self.pace_max_seconds:g})")
        if self.hourly_budget > self.daily_budget:
            raise ValueError(f"hourly_budget ({self.hourly_budget}) must not exceed daily_budget "
                             f"({self.daily_budget})")
        return self

    def budget(self, clock: Clock, rng: random.Random | None = None) -> SendBudget:
        return SendBudget(per_hour=self.hourly_budget, per_day=self.daily_budget, clock=clock, rng=rng,
                          gap_seconds=(self.pace_min_seconds, self.pace_max_seconds))


class BridgeCallback:
    channel = "bridge"
    path = "/bridge"
    methods = ("POST",)

    def __init__(self, *, secret: str, clock: Clock, max_body: int = sec.DEFAULT_MAX_BODY,
                 window: float = sec.DEFAULT_WINDOW) -> None:
        if not secret:
            raise ValueError("bridge secret must not be empty")
        self._secret, self._clock, self._max_body, self._window = secret, clock, max_body, window

    async def handle(self, request: web.Request, accept: sec.Accept) -> web.Response:
        return await sec.guarded(self.channel, request, lambda: self._receive(request, accept))

    async def _receive(self, request: web.Request, accept: sec.Accept) -> web.Response:
        if request.method != "POST":
            raise sec.method_not_allowed(request)
        timestamp, signature = sec.require_params(request.headers, TIMESTAMP_HEADER, SIGNATURE_HEADER)
        sec.check_timestamp(timestamp, self._clock, self._window)
        body = await sec.read_body(request, self._max_body)
        sec.check_hmac_signature(signature, self._secret, timestamp, body)
        event = sec.parse_json_object(body)
        msg = sec.safe_parse(lambda: self._to_group_message(event))
        if msg is None:
            log.info("bridge: ignored event %r type %r", short(event.get("event")), short(event.get("msg_type")))
            return web.json_response({"ok": True, "ignored": True})
        await sec.deliver(self.channel, accept, msg)
        return web.json_response({"ok": True})

    def _to_group_message(self, event: dict) -> GroupMessage | None:
        if event.get("v", 1) != 1:
            raise ChannelError(400, "unsupported bridge event version")
        kind = sec.text_field(event, "event")
        if kind != "message" and kind not in MEMBERSHIP_EVENTS:
            return None
        content = event_content(event) if kind == "message" else None
        if content is not None and content.kind == "ignored":
            return None
        room = event.get("room")
        if room is not None and not isinstance(room, dict):
            raise ChannelError(400, "room must be an object or null")
        talker_id = sec.text_field(event, "talker", "id")
        chat_id = sec.text_field(room, "id") if room else talker_id
        if content is not None:
            text, hint = content.text, message_text(event, required=False)[1]
        else:
            text, hint = message_text(event) if kind == "message" else ("", membership_hint(kind, room))
        if source := sec.text_field(event, "source", required=False):
            hint["source"] = source
        if event.get("self") is True:  # the bot's own message, reported back by the gateway: stored, never handled
            hint["from_self"] = True
        msg = GroupMessage(
            channel=self.channel, chat_id=chat_id, sender_id=talker_id, text=text,
            channel_msg_id=sec.text_field(event, "msg_id"), sent_at=self._sent_at(event),
            is_direct=room is None, mentions_bot=room is None or event.get("mention_self") is True,
            sender_name=sec.text_field(event, "talker", "name", required=False), reply_hint=hint)
        return with_content(msg, content)

    def _sent_at(self, event: dict) -> datetime:
        ts = event.get("ts")
        if isinstance(ts, bool) or not isinstance(ts, (int, float)) or ts <= 0:
            return self._clock.now()
        return datetime.fromtimestamp(ts / 1000 if ts > _MS_THRESHOLD else ts, timezone.utc)


def message_text(event: dict, *, required: bool = True) -> tuple[str, dict]:
    """The text with @-mentions removed (``text_clean`` if the gateway gave one)."""
    clean = event.get("text_clean")
    raw = event.get("text")
    if required and not isinstance(raw, str) and not isinstance(clean, str):
        raise ChannelError(400, "missing field text")
    text = clean if isinstance(clean, str) and clean.strip() else strip_mentions(raw or "")
    hint: dict = {}
    if isinstance(event.get("room"), dict) and isinstance(event["room"].get("topic"), str):
        hint["topic"] = event["room"]["topic"]
    return text.strip(), hint


MEDIA_TYPES = {"image": "image", "voice": "voice", "audio": "voice", "video": "video", "file": "file",
               "attachment": "file"}
OTHER_TYPES = frozenset({"emoticon", "contact", "mini_program", "transfer", "red_envelope", "post", "other"})
IGNORED_TYPES = frozenset({"recalled", "system"})


def event_content(event: dict) -> Content | None:
    """What a non-text message event carries (see docs/bridge.md); None for text. Media come as ``media.url``
    (fetched later, signed like our outbound calls) or ``media.data_base64`` (the bytes, for small files)."""
    msg_type = event.get("msg_type", "text")
    if msg_type == "text":
        return None
    if msg_type in MEDIA_TYPES:
        kind = MEDIA_TYPES[msg_type]
        typed = message_text(event, required=False)[0] if kind in ("voice", "image") else ""
        return Content(kind, typed, (media_ref(kind, event.get("media")),))
    if msg_type == "location":
        spot = event.get("location")
        if not isinstance(spot, dict):
            raise ChannelError(400, "location event without a location object")
        try:
            details = location_details(spot.get("lat"), spot.get("lng"), spot.get("label") or "")
        except ValueError as exc:
            raise ChannelError(400, str(exc)) from None
        return Content("location", details["location"]["label"], details=details)
    if msg_type in ("url", "link"):
        link = event.get("link") if isinstance(event.get("link"), dict) else {}
        link = {key: str(link.get(key) or "")[:1000] for key in ("title", "description", "url")}
        return Content("link", link_text(link), details={"link": link})
    if msg_type in ("chat_history", "record"):
        return record_content(event.get("record"))
    if msg_type in IGNORED_TYPES:
        return Content("ignored")
    if msg_type in OTHER_TYPES:
        return Content("other", details={"platform_type": str(msg_type)[:40]})
    raise ChannelError(400, f"unknown msg_type {str(msg_type)[:40]!r}")


def media_ref(kind: str, media: object) -> MediaRef:
    if not isinstance(media, dict):
        raise ChannelError(400, f"{kind} event without a media object")
    name = str(media.get("name") or "")[:200]
    fmt = str(media.get("format") or "")[:20]
    if isinstance(media.get("data_base64"), str):
        try:
            data = base64.b64decode(media["data_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise ChannelError(400, "media.data_base64 is not base64") from None
        return MediaRef(kind, "inline", data=data, name=name, format=fmt)
    url = media.get("url")
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise ChannelError(400, "media needs data_base64 or an http(s) url")
    return MediaRef(kind, "url", url[:2000], name=name, format=fmt)


def membership_hint(kind: str, room: dict | None) -> dict:
    if room is None:
        raise ChannelError(400, f"{kind} event without room")
    return {"event": kind, "topic": room.get("topic") if isinstance(room.get("topic"), str) else None}


# --- outbound: POST each outbox row to the gateway, signed like inbound events ---
# Body {"idempotency_key", "chat_id", "is_direct", "text", "mention_ids"}; the gateway must deliver each key
# at most once: the outbox retries a row after any TemporaryFailure.
# ``budget``: the account's send budget. The outbox takes a turn on it before each send, whichever process sends
# (bot/send_turns.py): bulk kinds wait for the budget and the gap; replies, alerts and direct messages are counted
# but never held.


class BridgeSender:
    channel = "bridge"

    def __init__(self, session: aiohttp.ClientSession, *, outbound_url: str, secret: str, clock: Clock,
                 per_chat_limit: int = 20, per_seconds: float = 60, timeout: float = 10.0,
                 budget: SendBudget | None = None) -> None:
        if not outbound_url or not secret:
            raise ValueError("bridge outbound_url and secret are required")
        self._session, self._url, self._secret = session, outbound_url, secret
        self._clock, self._timeout, self.budget = clock, timeout, budget
        self._limiter = RateLimiter(per_chat_limit, per_seconds, clock, name="bridge")

    def holds_back(self, message: OutboundMessage) -> Throttled | None:
        """The per-chat limit's refusal of this copy now, taking nothing (the outbox asks before it takes the
        account's turn; the rows of one chat are sent one after another, so the answer holds until the send)."""
        return self._limiter.refusal(message.chat_id)

    async def send(self, message: OutboundMessage) -> None:
        self._limiter.acquire(message.chat_id)
        body = json.dumps({"idempotency_key": message.idempotency_key, "chat_id": message.chat_id,
                           "is_direct": message.is_direct, "text": message.text,
                           "mention_ids": list(message.mentions)}, ensure_ascii=False).encode("utf-8")
        ts = str(int(self._clock.now().timestamp()))
        headers = {"Content-Type": "application/json", "X-Bridge-Timestamp": ts,
                   "X-Bridge-Signature": sec.hmac_sha256_hex(self._secret, ts, body)}
        data = await request_json(self._session, "POST", self._url, data=body, headers=headers,
                                  timeout=self._timeout, what="bridge outbound")
        if data.get("ok") is not True:
            raise PermanentFailure(f"bridge outbound: gateway refused: {data.get('error') or data}")


def _routes(settings: BridgeSettings, clock: Clock, accept: Accept) -> list[Route]:
    return adapter_routes(BridgeCallback(secret=settings.secret, clock=clock, window=settings.window_seconds,
                                         max_body=settings.max_body), accept)


def _sender(settings: BridgeSettings, deps: SenderDeps) -> BridgeSender:
    return BridgeSender(deps.session, outbound_url=settings.outbound_url, secret=settings.secret, clock=deps.clock,
                        budget=settings.budget(deps.clock))


class BridgeMediaFetcher:
    """Media the gateway serves at a URL: fetched with ``X-Bridge-Timestamp`` and ``X-Bridge-Signature =
    hex(HMAC-SHA256(secret, ts + "." + url))`` so the gateway hands them only to us."""

    def __init__(self, session: aiohttp.ClientSession, *, secret: str, clock: Clock, timeout: float) -> None:
        self._session, self._secret, self._clock, self._timeout = session, secret, clock, timeout

    async def fetch(self, job: MediaJob, *, max_bytes: int) -> Download:
        if job.source != "url":
            raise PermanentFailure(f"bridge: cannot fetch a {job.source} medium")
        ts = str(int(self._clock.now().timestamp()))
        headers = {TIMESTAMP_HEADER: ts, SIGNATURE_HEADER: sec.hmac_sha256_hex(self._secret, ts, job.ref.encode())}
        return await download(self._session, job.ref, max_bytes=max_bytes, timeout=self._timeout,
                              what="bridge media", headers=headers)


def _media(settings: BridgeSettings, deps: SenderDeps) -> BridgeMediaFetcher:
    return BridgeMediaFetcher(deps.session, secret=settings.secret, clock=deps.clock,
                              timeout=deps.config.media.fetch_timeout_seconds)


CHANNEL = Channel("bridge", "微信群网关", BridgeSettings, _routes, _sender, identity="bridge", direct=True,
                  media=_media)
