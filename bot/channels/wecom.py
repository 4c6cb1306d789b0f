"""WeCom self-built app callback (``/wechat/wecom``): officers' direct chats with the bot."""
from __future__ import annotations

import binascii
import logging
from datetime import datetime, timezone

from aiohttp import web
from wechatpy.work import parse_message
from wechatpy.work.crypto import WeChatCrypto

from bot.channels import callback_security as sec
from bot.channels.base import ChannelError
from bot.clock import Clock
from handlers.message import GroupMessage

log = logging.getLogger("bot.channels.wecom")


def make_crypto(crypto_class: type, token: str, aes_key: str, receive_id: str):  # noqa: ANN205
    """A wechatpy crypto object; a malformed EncodingAESKey is a config error (ValueError)."""
    if not token:
        raise ValueError("token must not be empty")
    try:
        return crypto_class(token, aes_key, receive_id)
    except (AssertionError, binascii.Error, TypeError, ValueError):
        raise ValueError("aes_key must be the 43-character EncodingAESKey") from None


class WecomCallback(sec.GetPostCallback):
    """Verifies and parses WeCom app callbacks into direct-chat GroupMessages."""

    channel = "wecom"

    def __init__(self, *, token: str, aes_key: str, corp_id: str, clock: Clock,
                 max_body: int = sec.DEFAULT_MAX_BODY, window: float = sec.DEFAULT_WINDOW) -> None:
        if not corp_id:
            raise ValueError("corp_id must not be empty")
        self._token = token
        self._crypto = make_crypto(WeChatCrypto, token, aes_key, corp_id)
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
    """A text message as a direct-chat GroupMessage; None for anything else (events, media)."""
    if getattr(message, "type", None) != "text":
        return None
    sender = message.source
    if not sender:
        raise ChannelError(400, "message without FromUserName")
    create_time = message.time
    msg_id = str(message.id) if message.id else f"{sender}:{create_time}"
    sent_at = datetime.fromtimestamp(create_time, timezone.utc) if create_time else clock.now()
    return GroupMessage(channel="wecom", chat_id=sender, sender_id=sender, text=message.content or "",
                        channel_msg_id=msg_id, sent_at=sent_at, is_direct=True, mentions_bot=True,
                        reply_hint={"agent_id": str(message.agent)} if message.agent else {})
