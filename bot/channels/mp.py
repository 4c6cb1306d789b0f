"""Official Account (公众号, channel "mp"): the callback ``/wechat/mp`` (residents' private reports) and the
sender (客服消息 to one follower).

Plain mode: ``?signature&timestamp&nonce`` with an XML body. Safe mode adds
``encrypt_type=aes&msg_signature=…`` and the body carries ``<Encrypt>``. GET verification
returns ``echostr`` unchanged in both modes. Every POST is answered ``success``.
"""
from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timezone

from aiohttp import web
from pydantic import field_validator
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto

from bot.channels.base import (
    Accept,
    Channel,
    ChannelError,
    ChannelSettings,
    OutboundMessage,
    PermanentFailure,
    Route,
    SenderDeps,
    adapter_routes,
)
from bot.channels.kit.inbound import short
from bot.channels.kit.parts import PartProgress, send_parts
from bot.channels.kit.rate_limit import RateLimiter
from bot.channels.kit.text_split import split_text
from bot.channels.wechat import security as sec
from bot.channels.wechat.api import ApiClient, ApiError, MediaApiFetcher
from bot.channels.wechat.content import with_content, xml_content
from bot.clock import Clock
from bot.follower_notices import TEMPLATE_PARTS
from handlers.message import GroupMessage

log = logging.getLogger("bot.channels.mp")


class MpSettings(ChannelSettings):
    app_id: str = ""
    secret: str = ""
    token: str = ""
    aes_key: str = sec.AES_KEY_FIELD
    api_base: str = "https://api.weixin.qq.com"
    # 模板消息 for a group's notices when the group cannot be reached (bot/follower_notices.py): the template's id
    # from 公众平台 → 模板消息, and which of its fields shows each part (title, text, time, group)
    notice_template_id: str = ""
    notice_template_fields: dict[str, str] = {"title": "thing1", "text": "thing2", "time": "time3"}
    required = ("app_id", "secret", "token")

    @field_validator("notice_template_fields")
    @classmethod
    def _known_parts(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(TEMPLATE_PARTS))
        if unknown:
            raise ValueError(f"unknown part(s) {unknown}; known: {list(TEMPLATE_PARTS)}")
        if not value or not all(isinstance(field, str) and field for field in value.values()):
            raise ValueError("name a template field (such as thing2) for at least one part")
        return value


class MpCallback(sec.GetPostCallback):
    """Verifies and parses Official Account callbacks. Without ``aes_key`` only plain mode works; with it, only
    safe mode (``encrypt_type=aes``): a plain-mode signature covers the timestamp and nonce, not the body, so one
    logged callback URL would let anyone post forged messages for the whole window."""

    channel = "mp"
    path = "/wechat/mp"
    methods = ("GET", "POST")

    def __init__(self, *, token: str, app_id: str, clock: Clock, aes_key: str | None = None,
                 max_body: int = sec.DEFAULT_MAX_BODY, window: float = sec.DEFAULT_WINDOW) -> None:
        if not token:
            raise ValueError("token must not be empty")
        self._token = token
        self._crypto = sec.make_crypto(WeChatCrypto, token, aes_key, app_id) if aes_key else None
        self._clock, self._max_body, self._window = clock, max_body, window

    def _verify_url(self, request: web.Request) -> web.Response:
        signature, timestamp, nonce, echostr = sec.require_params(
            request.query, "signature", "timestamp", "nonce", "echostr")
        sec.check_timestamp(timestamp, self._clock, self._window)
        sec.check_sha1_signature(signature, self._token, timestamp, nonce)
        return sec.plain_text(echostr)

    async def _receive(self, request: web.Request, accept: sec.Accept) -> web.Response:
        safe_mode = request.query.get("encrypt_type", "raw").lower() == "aes"
        if self._crypto is not None and not safe_mode:  # plain mode's signature does not cover the body
            raise ChannelError(403, "plain mode is refused: an aes_key is set, so only encrypt_type=aes is accepted")
        names = ("msg_signature", "timestamp", "nonce") if safe_mode else ("signature", "timestamp", "nonce")
        signature, timestamp, nonce = sec.require_params(request.query, *names)
        sec.check_timestamp(timestamp, self._clock, self._window)
        body = await sec.read_body(request, self._max_body)
        envelope = sec.parse_xml(body)
        if safe_mode:
            plain = self._decrypt(envelope, signature, timestamp, nonce)
            sec.parse_xml(plain)
        else:
            sec.check_sha1_signature(signature, self._token, timestamp, nonce)
            plain = sec.safe_parse(lambda: body.decode("utf-8"))
        message = sec.safe_parse(lambda: parse_message(plain))
        msg = sec.safe_parse(lambda: to_group_message(message, self._clock))
        if msg is None:
            log.info("mp: ignored %s", short(getattr(message, "type", "?")))
        else:
            await sec.deliver(self.channel, accept, msg)
        return web.Response(status=200, text="success", content_type="text/plain")

    def _decrypt(self, envelope: dict, signature: str, timestamp: str, nonce: str) -> str:
        if self._crypto is None:
            raise ChannelError(400, "safe mode (encrypt_type=aes) is not configured: set the mp aes_key")
        encrypt = sec.text_field(envelope, "Encrypt")
        return sec.decrypt_envelope(self._crypto, token=self._token, signature=signature, timestamp=timestamp,
                                    nonce=nonce, encrypt=encrypt)


def to_group_message(message: object, clock: Clock) -> GroupMessage | None:
    """A resident's message as a direct-chat GroupMessage (chat id = openid): text, image, voice (with the
    platform's ``Recognition`` as its text), video, location, link; None for events."""
    content = None if getattr(message, "type", None) == "text" else xml_content(message)
    if content is None and getattr(message, "type", None) != "text":
        return None
    openid = message.source
    if not openid:
        raise ChannelError(400, "message without FromUserName")
    create_time = message.time
    msg_id = str(message.id) if message.id else f"{openid}:{create_time}"
    sent_at = datetime.fromtimestamp(create_time, timezone.utc) if create_time else clock.now()
    msg = GroupMessage(channel="mp", chat_id=openid, sender_id=openid, text=getattr(message, "content", "") or "",
                       channel_msg_id=msg_id, sent_at=sent_at, is_direct=True, mentions_bot=True)
    return with_content(msg, content)


MP_TEXT_BYTES = 2048  # 客服消息 text content


class MpSender:
    """Channel "mp": customer-service text messages (客服消息) to a resident's openid; a group's notice for one of
    its grid's followers (``reply_hint["template"]``, bot/follower_notices.py) as a template message."""

    channel = "mp"

    def __init__(self, client: ApiClient, *, clock: Clock, per_user_per_minute: int = 20,
                 template_id: str = "", template_fields: dict[str, str] | None = None) -> None:
        self._client = client
        self._limiter = RateLimiter(per_user_per_minute, 60, clock, name="mp custom/send")
        self._progress = PartProgress()
        self._template_id, self._fields = template_id, dict(template_fields or {})

    async def send(self, message: OutboundMessage) -> None:
        if not message.is_direct:
            raise PermanentFailure("mp: an Official Account can only message one follower at a time")
        parts = message.reply_hint.get("template")
        if isinstance(parts, dict):
            self._limiter.acquire(message.chat_id, 1)  # raises Throttled over 20 a minute
            await self._send_template(message, parts)
            return
        await send_parts(message, split_text(message.text, MP_TEXT_BYTES), self._progress,
                         lambda n: self._limiter.acquire(message.chat_id, n),
                         lambda _i, part: self._send_one(message.chat_id, part))

    async def _send_one(self, openid: str, text: str) -> None:
        payload = {"touser": openid, "msgtype": "text", "text": {"content": text}}
        try:
            await self._client.call("/cgi-bin/message/custom/send", payload)
        except ApiError as exc:
            if exc.errcode == 45015:
                raise PermanentFailure("mp: outside 48h window (the resident has not written in 48 h)") from None
            raise


    async def _send_template(self, message: OutboundMessage, parts: dict) -> None:
        if not self._template_id:
            raise PermanentFailure("mp: no notice_template_id is set for template messages")
        data = {field: {"value": str(parts[part])} for part, field in self._fields.items() if part in parts}
        payload = {"touser": message.chat_id, "template_id": self._template_id, "data": data,
                   # the platform sends one message per openid and client_msg_id: a repeated call sends nothing twice
                   "client_msg_id": hashlib.sha1(message.idempotency_key.encode()).hexdigest()}
        try:
            await self._client.call("/cgi-bin/message/template/send", payload)
        except ApiError as exc:
            if exc.errcode == 43004:
                raise PermanentFailure("mp: the resident no longer follows the account (43004)") from None
            raise


def _routes(settings: MpSettings, clock: Clock, accept: Accept) -> list[Route]:
    return adapter_routes(MpCallback(token=settings.token, app_id=settings.app_id, aes_key=settings.aes_key or None,
                                     clock=clock, window=settings.window_seconds), accept)


def _sender(settings: MpSettings, deps: SenderDeps) -> MpSender:
    client = ApiClient.mp(deps.session, app_id=settings.app_id, secret=settings.secret, clock=deps.clock,
                          token_store=deps.token_store, api_base=settings.api_base)
    return MpSender(client, clock=deps.clock, template_id=settings.notice_template_id,
                    template_fields=settings.notice_template_fields)


def _media(settings: MpSettings, deps: SenderDeps) -> MediaApiFetcher:
    client = ApiClient.mp(deps.session, app_id=settings.app_id, secret=settings.secret, clock=deps.clock,
                          token_store=deps.token_store, api_base=settings.api_base)
    return MediaApiFetcher(client, timeout=deps.config.media.fetch_timeout_seconds)


CHANNEL = Channel("mp", "公众号", MpSettings, _routes, _sender, identity="mp", direct=True, media=_media)
