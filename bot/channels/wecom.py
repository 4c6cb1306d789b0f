"""WeCom self-built app (channel "wecom"): the callback ``/wechat/wecom`` (officers' direct chats with the bot)
and the sender (message/send to a member, appchat/send to a group chat)."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from aiohttp import web
from pydantic import Field
from wechatpy.work import parse_message
from wechatpy.work.crypto import WeChatCrypto

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
from bot.channels.wechat.api import ApiClient, MediaApiFetcher
from bot.channels.wechat.content import with_content, xml_content
from bot.clock import Clock
from handlers.message import GroupMessage

log = logging.getLogger("bot.channels.wecom")


class WecomSettings(ChannelSettings):
    corp_id: str = ""
    agent_id: str = Field(default="", pattern=r"^$|^[0-9]+$")
    secret: str = ""
    token: str = ""
    aes_key: str = sec.AES_KEY_FIELD
    api_base: str = "https://qyapi.weixin.qq.com"
    required = ("corp_id", "agent_id", "secret", "token", "aes_key")


class WecomCallback(sec.GetPostCallback):
    """Verifies and parses WeCom app callbacks into direct-chat GroupMessages."""

    channel = "wecom"
    path = "/wechat/wecom"
    methods = ("GET", "POST")

    def __init__(self, *, token: str, aes_key: str, corp_id: str, clock: Clock,
                 max_body: int = sec.DEFAULT_MAX_BODY, window: float = sec.DEFAULT_WINDOW) -> None:
        if not corp_id:
            raise ValueError("corp_id must not be empty")
        self._token = token
        self._crypto = sec.make_crypto(WeChatCrypto, token, aes_key, corp_id)
        self._clock, self._max_body, self._window = clock, max_body, window

    def _verify_url(self, request: web.Request) -> web.Response:
        return sec.echo_encrypted(request, token=self._token, crypto=self._crypto, clock=self._clock,
                                  window=self._window)

    async def _receive(self, request: web.Request, accept: sec.Accept) -> web.Response:
        signature, timestamp, nonce = sec.require_params(request.query, "msg_signature", "timestamp", "nonce")
        sec.check_timestamp(timestamp, self._clock, self._window)
        envelope = sec.parse_xml(await sec.read_body(request, self._max_body))
        encrypt = sec.text_field(envelope, "Encrypt")
        plain = sec.decrypt_envelope(self._crypto, token=self._token, signature=signature, timestamp=timestamp,
                                     nonce=nonce, encrypt=encrypt)
        sec.parse_xml(plain)  # refuses DOCTYPE/entities before wechatpy sees the text
        message = sec.safe_parse(lambda: parse_message(plain))
        msg = sec.safe_parse(lambda: to_group_message(message, self._clock))
        if msg is None:
            log.info("wecom: ignored %s from %s", getattr(message, "type", "?"), getattr(message, "source", "?"))
        else:
            await sec.deliver(self.channel, accept, msg)
        return sec.empty_ok()


def to_group_message(message: object, clock: Clock) -> GroupMessage | None:
    """A message as a direct-chat GroupMessage (text, image, voice, video, location, link, file); None for events."""
    content = None if getattr(message, "type", None) == "text" else xml_content(message)
    if content is None and getattr(message, "type", None) != "text":
        return None
    sender = message.source
    if not sender:
        raise ChannelError(400, "message without FromUserName")
    create_time = message.time
    msg_id = str(message.id) if message.id else f"{sender}:{create_time}"
    sent_at = datetime.fromtimestamp(create_time, timezone.utc) if create_time else clock.now()
    msg = GroupMessage(channel="wecom", chat_id=sender, sender_id=sender, text=getattr(message, "content", "") or "",
                       channel_msg_id=msg_id, sent_at=sent_at, is_direct=True, mentions_bot=True,
                       reply_hint={"agent_id": str(message.agent)} if getattr(message, "agent", None) else {})
    return with_content(msg, content)


APP_TEXT_BYTES = 2048  # message/send and appchat/send text content
MAX_DUPLICATE_CHECK = 4 * 3600  # WeCom's upper bound for duplicate_check_interval


class WecomAppSender:
    """Channel "wecom": direct chats via message/send (agent → member), groups via appchat/send."""

    channel = "wecom"

    def __init__(self, client: ApiClient, *, agent_id: int | str, clock: Clock,
                 duplicate_check_interval: int = 1800, member_per_minute: int = 30,
                 chat_per_minute: int = 200) -> None:
        self._client, self._agent_id = client, int(agent_id)
        self._dup_interval = max(0, min(int(duplicate_check_interval), MAX_DUPLICATE_CHECK))
        self._members = RateLimiter(member_per_minute, 60, clock, name="wecom message/send")
        self._chats = RateLimiter(chat_per_minute, 60, clock, name="wecom appchat/send")
        self._progress = PartProgress()

    async def send(self, message: OutboundMessage) -> None:
        parts = split_text(message.text, APP_TEXT_BYTES)
        limiter = self._members if message.is_direct else self._chats
        send_one = self._to_member if message.is_direct else self._to_chat
        await send_parts(message, parts, self._progress,
                         lambda n: limiter.acquire(message.chat_id, n),
                         lambda _i, part: send_one(message.chat_id, part))

    async def _to_member(self, user_id: str, text: str) -> None:
        payload = {"touser": user_id, "msgtype": "text", "agentid": self._agent_id, "text": {"content": text},
                   "safe": 0}
        if self._dup_interval:
            # WeCom drops an identical text to the same member within the window: a retry of a
            # row whose first attempt did arrive is not shown twice.
            payload |= {"enable_duplicate_check": 1, "duplicate_check_interval": self._dup_interval}
        data = await self._client.call("/cgi-bin/message/send", payload)
        if user_id in str(data.get("invaliduser", "")).split("|"):
            raise PermanentFailure(f"message/send: {user_id} is not a member visible to the app")

    async def _to_chat(self, chat_id: str, text: str) -> None:
        await self._client.call("/cgi-bin/appchat/send",
                                {"chatid": chat_id, "msgtype": "text", "text": {"content": text}, "safe": 0})


def _routes(settings: WecomSettings, clock: Clock, accept: Accept) -> list[Route]:
    return adapter_routes(WecomCallback(token=settings.token, aes_key=settings.aes_key, corp_id=settings.corp_id,
                                        clock=clock, window=settings.window_seconds), accept)


def _sender(settings: WecomSettings, deps: SenderDeps) -> WecomAppSender:
    client = ApiClient.wecom(deps.session, corp_id=settings.corp_id, secret=settings.secret, clock=deps.clock,
                             token_store=deps.token_store, api_base=settings.api_base)
    return WecomAppSender(client, agent_id=settings.agent_id, clock=deps.clock)


def _media(settings: WecomSettings, deps: SenderDeps) -> MediaApiFetcher:
    client = ApiClient.wecom(deps.session, corp_id=settings.corp_id, secret=settings.secret, clock=deps.clock,
                             token_store=deps.token_store, api_base=settings.api_base)
    return MediaApiFetcher(client, timeout=deps.config.media.fetch_timeout_seconds)


CHANNEL = Channel("wecom", "企业微信应用", WecomSettings, _routes, _sender, identity="wecom", direct=True,
                  media=_media)
