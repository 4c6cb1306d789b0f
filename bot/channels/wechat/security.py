"""What every inbound callback shares: capped body reads, signature and timestamp checks,
safe XML/JSON parsing, safe decrypt, and turning refusals into clear 4xx answers.

wechatpy compares signatures with ``!=``, never checks the timestamp and lets junk ciphertext
escape as raw ``ValueError``/``struct.error``. The helpers here run before and around it.
"""
from __future__ import annotations

import binascii
import hashlib
import hmac
import json
import logging
import re
import struct
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timezone
from typing import Any
from xml.parsers.expat import ExpatError

import xmltodict
from aiohttp import web
from pydantic import Field
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.work.exceptions import InvalidCorpIdException

from bot.channels.base import Accept, ChannelError
from bot.channels.kit.inbound import clean_message, short
from bot.clock import Clock
from handlers.message import GroupMessage

log = logging.getLogger("bot.channels")

DEFAULT_MAX_BODY = 64 * 1024
AES_KEY_FIELD = Field(default="", pattern=r"^$|^[A-Za-z0-9+/]{43}$")  # the 43-character EncodingAESKey
DEFAULT_WINDOW = 300.0
_READ_CHUNK = 16 * 1024
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# What decrypting or parsing hostile input can raise (wechatpy does not wrap these).
PARSE_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError, OSError,
                struct.error, binascii.Error, ExpatError, UnicodeDecodeError, json.JSONDecodeError)
_ID_ERRORS = (InvalidCorpIdException, InvalidAppIdException)


async def read_body(request: web.Request, max_body: int) -> bytes:
    """Read the whole body, refusing (413) anything over ``max_body`` bytes, declared or not."""
    if request.content_length is not None and request.content_length > max_body:
        raise ChannelError(413, f"body larger than {max_body} bytes")
    body = bytearray()
    while chunk := await request.content.read(_READ_CHUNK):
        body += chunk
        if len(body) > max_body:
            raise ChannelError(413, f"body larger than {max_body} bytes")
    return bytes(body)


def require_params(query: Mapping[str, str], *names: str) -> list[str]:
    """The named query parameters, each non-empty, in order; 400 naming the missing ones."""
    missing = [name for name in names if not query.get(name)]
    if missing:
        raise ChannelError(400, f"missing query parameter(s): {', '.join(missing)}")
    return [query[name] for name in names]


def sha1_signature(*parts: str) -> str:
    """WeChat's signature: sha1 of the sorted parts joined (token, timestamp, nonce[, encrypt])."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def check_sha1_signature(given: str, *parts: str) -> None:
    expected = sha1_signature(*parts)
    if not hmac.compare_digest(given.strip().lower().encode(), expected.encode()):
        raise ChannelError(403, "signature mismatch")


def hmac_sha256_hex(secret: str, timestamp: str, body: bytes) -> str:
    """The bridge signature: hex(HMAC-SHA256(secret, ts + "." + raw_body))."""
    message = timestamp.encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def check_hmac_signature(given: str, secret: str, timestamp: str, body: bytes) -> None:
    expected = hmac_sha256_hex(secret, timestamp, body)
    if not hmac.compare_digest(given.strip().lower().encode(), expected.encode()):
        raise ChannelError(403, "signature mismatch")


def check_timestamp(timestamp: str, clock: Clock, window: float) -> datetime:
    """Refuse a timestamp (unix seconds) further than ``window`` seconds from the clock."""
    try:
        seconds = int(timestamp)
        sent = datetime.fromtimestamp(seconds, timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise ChannelError(400, "timestamp is not unix seconds") from None
    skew = abs((clock.now() - sent).total_seconds())
    if skew > window:
        raise ChannelError(403, f"timestamp outside the {int(window)} s window")
    return sent


def parse_xml(text: str | bytes) -> dict:
    """Parse a ``<xml>…</xml>`` document; DOCTYPE/ENTITY declarations are refused outright."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if _DTD.search(raw):
        raise ChannelError(400, "XML with DOCTYPE or ENTITY declarations is refused")
    try:
        doc = xmltodict.parse(raw, disable_entities=True)
        root = doc["xml"]
    except PARSE_ERRORS as exc:
        raise ChannelError(400, f"malformed XML ({type(exc).__name__})") from None
    if not isinstance(root, dict):
        raise ChannelError(400, "malformed XML (empty <xml> element)")
    return root


def parse_json_object(raw: bytes) -> dict:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ChannelError(400, "body is not valid UTF-8 JSON") from None
    if not isinstance(value, dict):
        raise ChannelError(400, "body must be a JSON object")
    return value


def safe_decrypt(decrypt: Callable[[], str]) -> str:
    """Run a wechatpy decrypt call, mapping every failure to a 4xx ChannelError."""
    try:
        plain = decrypt()
    except InvalidSignatureException:
        raise ChannelError(403, "signature mismatch") from None
    except _ID_ERRORS:
        raise ChannelError(403, "receive id (corp id / app id) mismatch") from None
    except PARSE_ERRORS as exc:
        raise ChannelError(400, f"cannot decrypt payload ({type(exc).__name__})") from None
    if not isinstance(plain, str):
        raise ChannelError(400, "cannot decrypt payload")
    return plain


def safe_parse(parse: Callable[[], object]) -> object:
    """Run a wechatpy parse call on already-decrypted text, mapping failures to 400."""
    try:
        return parse()
    except PARSE_ERRORS as exc:
        raise ChannelError(400, f"malformed message ({type(exc).__name__})") from None


def text_field(data: Mapping, *path: str, required: bool = True) -> str | None:
    """A string found at ``data[path[0]][path[1]]…``; 400 if required and missing."""
    value: object = data
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and value:
        return value
    if required:
        raise ChannelError(400, f"missing field {'.'.join(path)}")
    return None


async def deliver(channel: str, accept: Accept, msg: GroupMessage) -> None:
    """Hand one message, cleaned (``kit.inbound``: a 400 for an id the database must not hold), to the core;
    any failure there becomes a 503 so the platform retries."""
    msg = clean_message(msg)
    try:
        await accept(msg)
        log.info("%s: accepted %s in chat %s", channel, short(msg.channel_msg_id), short(msg.chat_id))
    except ChannelError:
        raise
    except Exception:  # noqa: BLE001 - storage errors of any kind: WeChat must retry
        log.exception("%s: could not store message %s", channel, short(msg.channel_msg_id))
        raise ChannelError(503, "could not store the message, retry later") from None


async def guarded(channel: str, request: web.Request,
                  work: Callable[[], Awaitable[web.Response]]) -> web.Response:
    """Run an adapter's work; a ChannelError becomes one log line and a JSON 4xx/503."""
    try:
        return await work()
    except ChannelError as exc:
        log.warning("%s: refused %s %s: %d %s", channel, request.method, short(request.path),
                    exc.status, short(exc.reason, 200))
        return web.json_response({"error": exc.reason}, status=exc.status)


class GetPostCallback:
    """Shared front of the GET-verify / POST-message adapters: route by method inside ``guarded``.

    Subclasses set ``channel`` and implement ``_verify_url(request)`` and ``async _receive(request, accept)``.
    """

    channel: str

    async def handle(self, request: web.Request, accept: Accept) -> web.Response:
        return await guarded(self.channel, request, lambda: self._route(request, accept))

    async def _route(self, request: web.Request, accept: Accept) -> web.Response:
        if request.method == "GET":
            return self._verify_url(request)
        if request.method == "POST":
            return await self._receive(request, accept)
        raise method_not_allowed(request)


def echo_encrypted(request: web.Request, *, token: str, crypto: Any, clock: Clock, window: float) -> web.Response:
    """WeCom-style URL verification (app and AI bot): check, decrypt and return the echostr."""
    signature, timestamp, nonce, echostr = require_params(
        request.query, "msg_signature", "timestamp", "nonce", "echostr")
    check_timestamp(timestamp, clock, window)
    check_sha1_signature(signature, token, timestamp, nonce, echostr)
    return plain_text(safe_decrypt(lambda: crypto.check_signature(signature, timestamp, nonce, echostr)))


def decrypt_envelope(crypto: Any, *, token: str, signature: str, timestamp: str, nonce: str, encrypt: str) -> str:
    """Check the message signature over ``encrypt`` in constant time, then decrypt it safely."""
    check_sha1_signature(signature, token, timestamp, nonce, encrypt)
    return safe_decrypt(lambda: crypto.decrypt_message({"Encrypt": encrypt}, signature, timestamp, nonce))


def empty_ok() -> web.Response:
    return web.Response(status=200, body=b"")


def plain_text(text: str) -> web.Response:
    """A bare text body (URL verification echo): no quotes, no newline, no BOM."""
    return web.Response(status=200, body=text.encode("utf-8"), content_type="text/plain")


def method_not_allowed(request: web.Request) -> ChannelError:
    return ChannelError(405, f"method {request.method} not allowed")


def make_crypto(crypto_class: type, token: str, aes_key: str, receive_id: str):  # noqa: ANN205
    """A wechatpy crypto object; a malformed EncodingAESKey is a config error (ValueError)."""
    if not token:
        raise ValueError("token must not be empty")
    try:
        return crypto_class(token, aes_key, receive_id)
    except (AssertionError, binascii.Error, TypeError, ValueError):
        raise ValueError("aes_key must be the 43-character EncodingAESKey") from None
