"""WeCom AI bot (智能机器人) callback (``/wechat/aibot``): @-mentions in groups and direct chats.

Same WXBizMsgCrypt scheme as the WeCom app, but the envelope is JSON ``{"encrypt": ...}``, the
receive id is ``""`` and the decrypted payload is JSON. We answer with an empty 200 and reply
later through ``response_url`` (valid once, for one hour) or the group-robot webhook.
"""
from __future__ import annotations

import base64
import logging
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from wechatpy.work.crypto import WeChatCrypto

from bot.channels.base import (
    Accept,
    Channel,
    ChannelError,
    ChannelSettings,
    NoRoute,
    OutboundMessage,
    PermanentFailure,
    Route,
    SenderDeps,
    adapter_routes,
)
from bot.channels.kit.inbound import short
from bot.channels.kit.mentions import strip_leading_mention
from bot.channels.kit.parts import PartProgress, send_parts
from bot.channels.kit.rate_limit import RateLimiter
from bot.channels.kit.text_split import split_text, utf8_len
from bot.channels.wechat import security as sec
from bot.channels.wechat.api import WECOM_API_BASE, ApiError, check_errcode, post_json
from bot.channels.wechat.content import Content, record_content, with_content
from bot.clock import Clock
from bot.media.fetch import Download, MediaJob, download
from handlers.message import GroupMessage, MediaRef

log = logging.getLogger("bot.channels.aibot")
RESPONSE_URL_TTL = timedelta(hours=1)
_RESPONSE_URL_MARGIN = timedelta(minutes=5)


class AibotSettings(ChannelSettings):
    token: str = ""
    aes_key: str = sec.AES_KEY_FIELD
    bot_id: str = ""
    api_base: str = "https://qyapi.weixin.qq.com"
    required = ("token", "aes_key")


class AibotCallback(sec.GetPostCallback):
    """Verifies and parses AI-bot callbacks. ``bot_id``, if given, must match ``aibotid``."""

    channel = "aibot"
    path = "/wechat/aibot"
    methods = ("GET", "POST")

    def __init__(self, *, token: str, aes_key: str, clock: Clock, bot_id: str | None = None,
                 max_body: int = sec.DEFAULT_MAX_BODY, window: float = sec.DEFAULT_WINDOW) -> None:
        self._token = token
        self._crypto = sec.make_crypto(WeChatCrypto, token, aes_key, "")
        self._bot_id = bot_id or None
        self._clock, self._max_body, self._window = clock, max_body, window

    def _verify_url(self, request: web.Request) -> web.Response:
        return sec.echo_encrypted(request, token=self._token, crypto=self._crypto, clock=self._clock,
                                  window=self._window)

    async def _receive(self, request: web.Request, accept: sec.Accept) -> web.Response:
        signature, timestamp, nonce = sec.require_params(request.query, "msg_signature", "timestamp", "nonce")
        sec.check_timestamp(timestamp, self._clock, self._window)
        envelope = sec.parse_json_object(await sec.read_body(request, self._max_body))
        encrypt = sec.text_field(envelope, "encrypt")
        plain = sec.decrypt_envelope(self._crypto, token=self._token, signature=signature, timestamp=timestamp,
                                     nonce=nonce, encrypt=encrypt)
        payload = sec.parse_json_object(plain.encode("utf-8"))
        self._check_bot_id(payload)
        msg = sec.safe_parse(lambda: self._to_group_message(payload))
        if msg is None:
            log.info("aibot: ignored msgtype %r", short(payload.get("msgtype")))
        else:
            await sec.deliver(self.channel, accept, msg)
        return sec.empty_ok()

    def _check_bot_id(self, payload: dict) -> None:
        if self._bot_id and payload.get("aibotid") != self._bot_id:
            raise ChannelError(403, "aibotid does not match the configured bot id")

    def _to_group_message(self, payload: dict) -> GroupMessage | None:
        content = payload_content(payload)
        if content is None:
            return None
        text = content.text
        chattype = payload.get("chattype")
        user_id = sec.text_field(payload, "from", "userid")
        if chattype not in ("single", "group"):
            raise ChannelError(400, "chattype must be single or group")
        is_group = chattype == "group"
        chat_id = sec.text_field(payload, "chatid") if is_group else user_id
        now = self._clock.now()
        hint: dict = {}
        if response_url := sec.text_field(payload, "response_url", required=False):
            expires = now + RESPONSE_URL_TTL - _RESPONSE_URL_MARGIN
            hint = {"response_url": response_url, "response_url_expires_at": expires.isoformat()}
        msg = GroupMessage(channel=self.channel, chat_id=chat_id, sender_id=user_id,
                           text=strip_leading_mention(text), channel_msg_id=sec.text_field(payload, "msgid"),
                           sent_at=now, is_direct=not is_group, mentions_bot=True, reply_hint=hint)
        return msg if content.kind == "text" else with_content(msg, replace(content, text=msg.text))


def message_text(payload: dict) -> str | None:
    """The text of a text or mixed (text + images) callback; None for other types."""
    msgtype = payload.get("msgtype")
    if msgtype == "text":
        return sec.text_field(payload, "text", "content", required=False) or ""
    if msgtype == "mixed":
        items = (payload.get("mixed") or {}).get("msg_item") or []
        parts = [sec.text_field(item, "text", "content", required=False) or ""
                 for item in items if isinstance(item, dict) and item.get("msgtype") == "text"]
        return " ".join(part for part in parts if part) if parts else None
    return None


def payload_content(payload: dict) -> Content | None:
    """What a callback carries: text, mixed (text and images), image, voice (WeCom's own transcript), file,
    video, or a merged chat record (合并转发); None for types we do not know. Image and file URLs point at
    files encrypted with the callback's AES key, valid for a few minutes: the media worker fetches them."""
    msgtype = payload.get("msgtype")
    if msgtype == "mixed":
        items = [item for item in (payload.get("mixed") or {}).get("msg_item") or [] if isinstance(item, dict)]
        images = tuple(MediaRef("image", "url", url) for item in items if item.get("msgtype") == "image"
                       if (url := sec.text_field(item, "image", "url", required=False)))
        text = message_text(payload) or ""
        return Content("image", text, images) if images else Content("text", text)
    if msgtype in ("image", "file", "video"):
        url = sec.text_field(payload, msgtype, "url")
        name = sec.text_field(payload, msgtype, "filename", required=False) or ""
        return Content(msgtype, media=(MediaRef(msgtype, "url", url, name=name[:200]),))
    if msgtype == "voice":
        return Content("voice", sec.text_field(payload, "voice", "content", required=False) or "")
    if msgtype in ("merged_msg", "chat_record"):
        return record_content(payload.get(msgtype))
    text = message_text(payload)
    return None if text is None else Content("text", text)




# --- outbound: response_url once, else the group-robot webhook (20 messages/min per key) ---

WEBHOOK_TEXT_BYTES = 2048
MARKDOWN_BYTES = 4096


class AibotSender:
    channel = "aibot"

    def __init__(self, session: aiohttp.ClientSession, *, clock: Clock, webhook_keys: Mapping[str, str],
                 api_base: str = WECOM_API_BASE, timeout: float = 10.0, robot_per_minute: int = 20) -> None:
        self._session, self._clock, self._timeout = session, clock, timeout
        self._keys = dict(webhook_keys)
        self._base = api_base.rstrip("/")
        self._robots = RateLimiter(robot_per_minute, 60, clock, name="group robot webhook")
        self._progress = PartProgress()
        self._used_urls: OrderedDict[str, None] = OrderedDict()

    async def send(self, message: OutboundMessage) -> None:
        url = self._response_url(message)
        refused = ""
        if url and utf8_len(message.text) <= MARKDOWN_BYTES:
            if await self._respond(url, message.text):
                return
            refused = "; WeCom refused the response_url"
        key = self._keys.get(message.chat_id) or message.reply_hint.get("webhook_key")
        if not key and "rerouted_from" in message.reply_hint:  # another channel's group without a robot
            raise NoRoute(f"aibot: no group robot for {message.chat_id}")
        if not key:
            raise PermanentFailure(f"aibot: no route to {message.chat_id} (no usable response_url, "
                                   f"no webhook key{refused})")
        await self.send_webhook(key, message)

    async def send_webhook(self, key: str, message: OutboundMessage) -> None:
        """Text through the group robot ``webhook/send?key=``, split, @-mentions on the first part."""
        parts = split_text(message.text, WEBHOOK_TEXT_BYTES)

        async def send_one(index: int, part: str) -> None:
            text: dict = {"content": part}
            if index == 0 and message.mentions:
                text["mentioned_list"] = list(message.mentions)
            data = await post_json(self._session, f"{self._base}/cgi-bin/webhook/send", {"msgtype": "text", "text": text},
                                   params={"key": key}, timeout=self._timeout, what="webhook/send")
            check_errcode(data, "webhook/send")

        await send_parts(message, parts, self._progress, lambda n: self._robots.acquire(key, n), send_one)

    def _response_url(self, message: OutboundMessage) -> str | None:
        """The reply hint's response_url if unused, unexpired and on the WeCom API host."""
        hint = message.reply_hint or {}
        url, expires = hint.get("response_url"), hint.get("response_url_expires_at")
        if not isinstance(url, str) or url in self._used_urls:
            return None
        if urlsplit(url)[:2] != urlsplit(self._base)[:2]:
            return None
        if isinstance(expires, str):
            try:
                if datetime.fromisoformat(expires) <= self._clock.now():
                    return None
            except ValueError:
                return None
        return url

    async def _respond(self, url: str, text: str) -> bool:
        """POST markdown to the response_url once. False if WeCom refused it (expired, used)."""
        payload = {"msgtype": "markdown", "markdown": {"content": text}}
        data = await post_json(self._session, url, payload, timeout=self._timeout, what="aibot response_url")
        self._used_urls[url] = None
        while len(self._used_urls) > 4096:
            self._used_urls.popitem(last=False)
        try:
            check_errcode(data, "aibot response_url")
        except ApiError:
            return False
        return True


def _routes(settings: AibotSettings, clock: Clock, accept: Accept) -> list[Route]:
    return adapter_routes(AibotCallback(token=settings.token, aes_key=settings.aes_key, bot_id=settings.bot_id or None,
                                        clock=clock, window=settings.window_seconds), accept)


def _sender(settings: AibotSettings, deps: SenderDeps) -> AibotSender:
    # its own groups' robots, and the robots bridge groups fall back to (registry.failover_routes; the ones on
    # record only, imported with `gridbot import groups`, come with each rerouted copy's hint)
    keys = {ref.chat_id: ref.webhook_key for grid in deps.config.grids for ref in grid.groups
            if ref.channel in ("aibot", "bridge") and ref.webhook_key}
    return AibotSender(deps.session, clock=deps.clock, webhook_keys=keys, api_base=settings.api_base)


class AibotMediaFetcher:
    """AI-bot images and files: the callback's URL (valid a few minutes) holds the file AES-256-CBC encrypted
    with the bot's EncodingAESKey (IV = the key's first 16 bytes, PKCS#7 padding to 32 bytes)."""

    def __init__(self, session: aiohttp.ClientSession, *, aes_key: str, timeout: float) -> None:
        self._session, self._timeout = session, timeout
        self._key = base64.b64decode(aes_key + "=") if aes_key else b""

    async def fetch(self, job: MediaJob, *, max_bytes: int) -> Download:
        if job.source != "url":
            raise PermanentFailure(f"aibot: cannot fetch a {job.source} medium")
        got = await download(self._session, job.ref, max_bytes=max_bytes + 32, timeout=self._timeout,
                             what="aibot media url")
        return Download(decrypt_file(self._key, got.data), "")


def decrypt_file(key: bytes, data: bytes) -> bytes:
    """The plain bytes of an AI-bot media file; PermanentFailure when they do not decrypt with this key."""
    if len(key) != 32 or not data or len(data) % 16:
        raise PermanentFailure("aibot media: not encrypted with this bot's key (wrong length)")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= 32 or plain[-pad:] != bytes([pad]) * pad:
        raise PermanentFailure("aibot media: not encrypted with this bot's key (bad padding)")
    return plain[:-pad]


def _media(settings: AibotSettings, deps: SenderDeps) -> AibotMediaFetcher:
    return AibotMediaFetcher(deps.session, aes_key=settings.aes_key, timeout=deps.config.media.fetch_timeout_seconds)


CHANNEL = Channel("aibot", "企业微信智能机器人", AibotSettings, _routes, _sender, identity="wecom", media=_media)
