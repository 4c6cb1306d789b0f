"""WeCom AI bot (智能机器人) callback (``/wechat/aibot``): @-mentions in groups and direct chats.

Same WXBizMsgCrypt scheme as the WeCom app, but the envelope is JSON ``{"encrypt": ...}``, the
receive id is ``""`` and the decrypted payload is JSON. We answer with an empty 200 and reply
later through ``response_url`` (valid once, for one hour) or the group-robot webhook.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from aiohttp import web
from wechatpy.work.crypto import WeChatCrypto

from bot.channels import callback_security as sec
from bot.channels.base import ChannelError
from bot.channels.mentions import strip_leading_mention
from bot.channels.wecom import make_crypto
from bot.clock import Clock
from handlers.message import GroupMessage

log = logging.getLogger("bot.channels.aibot")
RESPONSE_URL_TTL = timedelta(hours=1)
_RESPONSE_URL_MARGIN = timedelta(minutes=5)


class AibotCallback(sec.GetPostCallback):
    """Verifies and parses AI-bot callbacks. ``bot_id``, if given, must match ``aibotid``."""

    channel = "aibot"

    def __init__(self, *, token: str, aes_key: str, clock: Clock, bot_id: str | None = None,
                 max_body: int = sec.DEFAULT_MAX_BODY, window: float = sec.DEFAULT_WINDOW) -> None:
        self._token = token
        self._crypto = make_crypto(WeChatCrypto, token, aes_key, "")
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
            log.info("aibot: ignored msgtype %r", payload.get("msgtype"))
        else:
            await sec.deliver(self.channel, accept, msg)
        return sec.empty_ok()

    def _check_bot_id(self, payload: dict) -> None:
        if self._bot_id and payload.get("aibotid") != self._bot_id:
            raise ChannelError(403, "aibotid does not match the configured bot id")

    def _to_group_message(self, payload: dict) -> GroupMessage | None:
        text = message_text(payload)
        if text is None:
            return None
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
        return GroupMessage(channel=self.channel, chat_id=chat_id, sender_id=user_id,
                            text=strip_leading_mention(text), channel_msg_id=sec.text_field(payload, "msgid"),
                            sent_at=now, is_direct=not is_group, mentions_bot=True, reply_hint=hint)


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

