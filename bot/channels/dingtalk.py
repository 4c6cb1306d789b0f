"""DingTalk enterprise robot (channel "dingtalk") — the worked example of docs/architecture.md: a channel is
this one module plus one registry line.

Inbound: DingTalk POSTs JSON with ``timestamp`` and ``sign = base64(HMAC-SHA256(app_secret, timestamp + "\\n" +
app_secret))`` headers. Outbound: the ``sessionWebhook`` of the message being answered.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timezone

import aiohttp
from aiohttp import web

from bot.channels.base import (
    Accept, Channel, ChannelError, ChannelSettings, OutboundMessage, PermanentFailure, Route, SenderDeps,
)
from bot.channels.wechat import security as sec
from bot.channels.wechat.api import post_json
from bot.clock import Clock
from handlers.message import GroupMessage


class DingtalkSettings(ChannelSettings):
    app_secret: str = ""
    required = ("app_secret",)


def _sign(secret: str, timestamp: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _routes(settings: DingtalkSettings, clock: Clock, accept: Accept) -> list[Route]:
    async def receive(request: web.Request) -> web.Response:
        async def work() -> web.Response:
            timestamp, sign = sec.require_params(request.headers, "timestamp", "sign")
            sec.check_timestamp(str(int(timestamp) // 1000) if timestamp.isdigit() else timestamp, clock,
                                settings.window_seconds)
            if not hmac.compare_digest(sign, _sign(settings.app_secret, timestamp)):
                raise ChannelError(403, "signature mismatch")
            body = sec.parse_json_object(await sec.read_body(request, sec.DEFAULT_MAX_BODY))
            is_group = body.get("conversationType") == "2"
            sender = sec.text_field(body, "senderStaffId")
            msg = GroupMessage(
                channel="dingtalk", chat_id=sec.text_field(body, "conversationId") if is_group else sender,
                sender_id=sender, text=sec.text_field(body, "text", "content", required=False) or "",
                channel_msg_id=sec.text_field(body, "msgId"), sent_at=datetime.now(timezone.utc),
                is_direct=not is_group, mentions_bot=bool(body.get("isInAtList")),
                sender_name=sec.text_field(body, "senderNick", required=False),
                reply_hint={"session_webhook": body.get("sessionWebhook")})
            await sec.deliver("dingtalk", accept, msg)
            return sec.empty_ok()
        return await sec.guarded("dingtalk", request, work)
    return [("POST", "/dingtalk", receive)]


class DingtalkSender:
    channel = "dingtalk"

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def send(self, message: OutboundMessage) -> None:
        url = (message.reply_hint or {}).get("session_webhook")
        if not url:
            raise PermanentFailure("dingtalk: no session webhook to answer on")
        await post_json(self._session, url, {"msgtype": "text", "text": {"content": message.text}},
                        timeout=10.0, what="dingtalk webhook")


def _sender(settings: DingtalkSettings, deps: SenderDeps) -> DingtalkSender:
    return DingtalkSender(deps.session)


CHANNEL = Channel("dingtalk", "钉钉机器人", DingtalkSettings, _routes, _sender, identity="dingtalk")
