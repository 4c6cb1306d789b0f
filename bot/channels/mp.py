"""Official Account (公众号, channel "mp"): the callback ``/wechat/mp`` (residents' private reports) and the
sender (客服消息 to one follower).

Plain mode: ``?signature&timestamp&nonce`` with an XML body. Safe mode adds
``encrypt_type=aes&msg_signature=…`` and the body carries ``<Encrypt>``. GET verification
returns ``echostr`` unchanged in both modes. Every POST is answered ``success``.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from aiohttp import web
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
from bot.channels.kit.parts import PartProgress, send_parts
from bot.channels.kit.rate_limit import RateLimiter
from bot.channels.kit.text_split import split_text
from bot.channels.wechat import security as sec
from bot.channels.wechat.api import ApiClient, ApiError, MediaApiFetcher
from bot.channels.wechat.content import with_content, xml_content
from bot.clock import Clock
from handlers.message import GroupMessage

log = logging.getLogger("bot.channels.mp")


class MpSettings(ChannelSettings):
    app_id: str = ""
    secret: str = ""
    token: str = ""
    aes_key: str = sec.AES_KEY_FIELD
    api_base: str = "https://api.weixin.qq.com"
    required = ("app_id", "secret", "token")


class MpCallback(sec.GetPostCallback):
    """Verifies and parses Official Account callbacks. Without ``aes_key`` only plain mode works."""

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
            log.info("mp: ignored %s", getattr(message, "type", "?"))
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
    """Channel "mp": customer-service text messages (客服消息) to a resident's openid."""

    channel = "mp"

    def __init__(self, client: ApiClient, *, clock: Clock, per_user_per_minute: int = 20) -> None:
        self._client = client
        self._limiter = RateLimiter(per_user_per_minute, 60, clock, name="mp custom/send")
        self._progress = PartProgress()

    async def send(self, message: OutboundMessage) -> None:
        if not message.is_direct:
            raise PermanentFailure("mp: an Official Account can only message one follower at a time")
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


def _routes(settings: MpSettings, clock: Clock, accept: Accept) -> list[Route]:
    return adapter_routes(MpCallback(token=settings.token, app_id=settings.app_id, aes_key=settings.aes_key or None,
                                     clock=clock, window=settings.window_seconds), accept)


def _sender(settings: MpSettings, deps: SenderDeps) -> MpSender:
    client = ApiClient.mp(deps.session, app_id=settings.app_id, secret=settings.secret, clock=deps.clock,
                          token_store=deps.token_store, api_base=settings.api_base)
    return MpSender(client, clock=deps.clock)


def _media(settings: MpSettings, deps: SenderDeps) -> MediaApiFetcher:
    client = ApiClient.mp(deps.session, app_id=settings.app_id, secret=settings.secret, clock=deps.clock,
                          token_store=deps.token_store, api_base=settings.api_base)
    return MediaApiFetcher(client, timeout=deps.config.media.fetch_timeout_seconds)


CHANNEL = Channel("mp", "公众号", MpSettings, _routes, _sender, identity="mp", direct=True, media=_media)
