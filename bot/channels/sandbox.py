"""The sandbox channel: a JSON API and a browser page to play resident, officer or mediator."""
from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
import uuid
from dataclasses import replace
from datetime import datetime
from importlib import resources

from aiohttp import web
from pydantic import Field

from bot.channels.base import (
    Accept,
    Channel,
    ChannelError,
    ChannelSettings,
    OutboundMessage,
    Route,
    SenderDeps,
    View,
)
from bot.channels.kit.inbound import clean_message, short
from bot.channels.wechat.security import read_body
from bot.clock import Clock
from bot.keys import CONFIG
from bot.web.responses import in_db, json_error, json_response
from handlers.message import GroupMessage, MediaRef, location_details
from handlers.privacy import mask_personal
from storage import groups, messages, outbox, people
from storage.models import Role

log = logging.getLogger(__name__)
MAX_TEXT = 4000
MAX_BODY = 12 * 1024 * 1024  # room for an image_base64 of about 8 MB
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


TOKEN_HEADER = "X-Sandbox-Token"  # or ``Authorization: Bearer <token>``


class SandboxSettings(ChannelSettings):
    """``[sandbox]``: off unless ``enabled = true``. With any real channel on, ``token`` is required (checked in
    ``registry``): the sandbox lets anyone speak as any officer, and a reverse proxy makes a loopback port public."""

    enabled: bool = False
    token: str = Field(default="", pattern=r"^$|^\S{16,200}$")  # every /sandbox/* call must carry it when set


def token_guard(token: str, view: View) -> View:
    """``view`` behind the sandbox token (a header, or a bearer token); without a token configured, ``view``."""
    if not token:
        return view
    expected = token.encode()

    async def guarded(request: web.Request) -> web.StreamResponse:
        given = request.headers.get(TOKEN_HEADER, "")
        scheme, _, bearer = request.headers.get("Authorization", "").partition(" ")
        if not given and scheme.lower() == "bearer":
            given = bearer.strip()
        if not hmac.compare_digest(given.encode("utf-8", "replace"), expected):
            return json_error(401, f"the sandbox needs its token ({TOKEN_HEADER} header or a bearer token)")
        return await view(request)
    guarded.__name__ = getattr(view, "__name__", "sandbox_view")
    return guarded


def message_view(clock: Clock, accept: Accept):  # noqa: ANN201
    """POST /sandbox/messages: store one message as a resident, officer or mediator would send it."""
    async def post_message(request: web.Request) -> web.Response:
        return await _post_message(request, clock, accept)
    return post_message


async def _post_message(request: web.Request, clock: Clock, accept: Accept) -> web.Response:
    try:
        body = json.loads(await read_body(request, MAX_BODY))
    except ChannelError as exc:
        return json_error(exc.status, exc.reason)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return json_error(400, "body is not valid JSON")
    except RecursionError:
        return json_error(400, "body nested too deeply")
    try:
        msg = clean_message(parse_message(body, clock.now()))
    except ValueError as exc:
        return json_error(400, str(exc))
    except ChannelError as exc:
        return json_error(exc.status, exc.reason)
    message_id = await accept(msg)
    return json_response({"message_id": message_id})


def parse_message(body: object, now: datetime) -> GroupMessage:
    if not isinstance(body, dict):
        raise ValueError("body must be a JSON object")
    group_id, user_id = body.get("group_id"), body.get("user_id")
    if (group_id is None) == (user_id is None):
        raise ValueError("give exactly one of group_id (a group chat) or user_id (a direct chat)")
    chat_id = group_id if group_id is not None else user_id
    sender_id = body.get("sender_id", user_id)
    text, msg_id = body.get("text"), body.get("msg_id") or f"sandbox-{uuid.uuid4().hex}"
    for name, value in (("group_id" if group_id is not None else "user_id", chat_id), ("sender_id", sender_id),
                        ("msg_id", msg_id)):
        if not isinstance(value, str) or not value.strip() or len(value) > 128:
            raise ValueError(f"{name} must be a non-empty string of at most 128 characters")
    mentions_bot = body.get("mentions_bot", False)
    if not isinstance(mentions_bot, bool):
        raise ValueError("mentions_bot must be true or false")
    attachment = "image_base64" in body or "location" in body
    if not attachment:
        if not isinstance(text, str) or not text.strip():
            raise ValueError("text must be a non-empty string (or send image_base64 or location instead)")
        if len(text) > MAX_TEXT:
            raise ValueError(f"text longer than {MAX_TEXT} characters")
    msg = GroupMessage(channel="sandbox", chat_id=chat_id.strip(), sender_id=sender_id.strip(),
                       text="" if attachment else text, channel_msg_id=msg_id, sent_at=now,
                       is_direct=user_id is not None, mentions_bot=mentions_bot or user_id is not None)
    return attachment_message(msg, body) if attachment else msg


def attachment_message(msg: GroupMessage, body: dict) -> GroupMessage:
    """``image_base64`` (a PNG or JPEG) or ``location`` ({lat, lng, label}) instead of text."""
    if ("image_base64" in body) == ("location" in body) or body.get("text"):
        raise ValueError("give one of text, image_base64 or location")
    if "location" in body:
        spot = body["location"]
        if not isinstance(spot, dict):
            raise ValueError("location must be an object {lat, lng, label}")
        details = location_details(spot.get("lat"), spot.get("lng"), spot.get("label") or "")
        return replace(msg, kind="location", text=details["location"]["label"], details=details)
    raw = body["image_base64"]
    if not isinstance(raw, str) or not raw:
        raise ValueError("image_base64 must be a base64 string of a PNG or JPEG")
    try:
        data = base64.b64decode(raw.split(",", 1)[1] if raw.startswith("data:") else raw, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("image_base64 is not valid base64") from None
    if not data.startswith(IMAGE_MAGIC):
        raise ValueError("image_base64 must be a PNG or JPEG image")
    return replace(msg, kind="image", media=(MediaRef("image", "inline", data=data),))


async def get_sent(request: web.Request) -> web.Response:
    """GET /sandbox/sent[?chat_id=ID]: what the bot sent on the sandbox. What it said in a group is shown as every
    member read it (the station's phone in an answer stays whole); what it told a person in a direct chat is masked
    like every other view (officers' case cards included: the raw values are on the case page, for the grid's
    police only)."""
    chat_id = request.query.get("chat_id") or None

    def load(session):  # noqa: ANN001, ANN202
        public = {g.chat_id for g in groups.groups_on_channel(session, channel="sandbox")}
        return [{"chat_id": r.chat_id, "text": r.text if r.chat_id in public else mask_personal(r.text),
                 "mentions": r.mentions, "sent_at": r.sent_at.isoformat() if r.sent_at else None}
                for r in outbox.sent_on(session, channel="sandbox", chat_id=chat_id)]
    return json_response(await in_db(request, load))


async def get_received(request: web.Request) -> web.Response:
    """GET /sandbox/received?chat_id=ID: what people wrote in a sandbox chat (a group, or a direct chat), oldest
    first: ``[{"chat_id", "sender_id", "sender", "kind", "text", "sent_at"}]`` — so the page shows residents' own
    words (masked like every other view: the page may be open on a shared screen)."""
    chat_id = request.query.get("chat_id") or ""
    if not chat_id:
        return json_error(400, "chat_id is required")

    def load(session):  # noqa: ANN001, ANN202
        rows = messages.messages_in_chat(session, channel="sandbox", chat_id=chat_id)
        names = {p.id: p.name for p in people.staff(session)}
        return [{"chat_id": m.chat_id, "sender_id": m.sender_id, "sender": names.get(m.sender_id, m.sender_id),
                 "kind": m.kind, "text": mask_personal(m.text), "sent_at": m.received_at.isoformat()} for m in rows]
    return json_response(await in_db(request, load))


async def get_directory(request: web.Request) -> web.Response:
    """The sandbox page's pickers: the sandbox groups, the people of the roster, and the residents the bot knows
    (their direct chats are where follow-up surveys arrive)."""
    def load(session):  # noqa: ANN001, ANN202
        return {"groups": [{"id": g.chat_id, "name": g.name, "grid": g.grid_id}
                           for g in groups.groups_on_channel(session, channel="sandbox")],
                "people": [{"id": p.id, "name": p.name, "role": p.role, "title": p.title}
                           for p in people.staff(session)],
                "residents": [{"id": p.id, "name": p.name, "role": p.role, "grid": p.grid_id}
                              for p in people.people_with_role(session, role=Role.RESIDENT)
                              if p.dm_channel is None][:200]}
    data = await in_db(request, load)
    return json_response({"community": request.app[CONFIG].community.name, **data})


async def page(request: web.Request) -> web.Response:
    html = resources.files("bot.static").joinpath("sandbox.html").read_text(encoding="utf-8")
    return web.Response(text=html, content_type="text/html", charset="utf-8")


def _routes(settings: SandboxSettings, clock: Clock, accept: Accept) -> list[Route]:
    """The page itself is static (no data): it is served to anyone and sends the token from its URL's
    ``#token=…`` fragment (never sent to the server, never in a log) with every call, each behind the token."""
    views = [("POST", "/sandbox/messages", message_view(clock, accept)), ("GET", "/sandbox/sent", get_sent),
             ("GET", "/sandbox/directory", get_directory), ("GET", "/sandbox/received", get_received)]
    return [(method, path, token_guard(settings.token, view)) for method, path, view in views] + [
        ("GET", "/sandbox", page)]


class SandboxSender:
    """The sandbox channel delivers by recording: a sent sandbox row is what GET /sandbox/sent shows."""

    channel = "sandbox"

    async def send(self, message: OutboundMessage) -> None:
        log.info("sandbox → %s: %s", short(message.chat_id), mask_personal(message.text[:60]))


def _sender(settings: SandboxSettings, deps: SenderDeps) -> SandboxSender:
    return SandboxSender()


CHANNEL = Channel("sandbox", "演示沙盒", SandboxSettings, _routes, _sender)
