"""Outbound senders for WeCom apps (message/send, appchat/send) and Official Accounts (客服消息).

Each implements ``bot.channels.base.Sender``: deliver one outbox row or raise TemporaryFailure /
PermanentFailure. Long texts go out as numbered parts; rate limits are checked for all parts
before the first is sent, and parts already delivered are skipped when the outbox retries.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable

from bot.channels.base import OutboundMessage, PermanentFailure
from bot.channels.rate_limit import RateLimiter
from bot.channels.text_split import split_text
from bot.channels.wecom_api import ApiClient, ApiError
from bot.clock import Clock

APP_TEXT_BYTES = 2048  # message/send and appchat/send text content
MP_TEXT_BYTES = 2048  # 客服消息 text content
MAX_DUPLICATE_CHECK = 4 * 3600  # WeCom's upper bound for duplicate_check_interval


class PartProgress:
    """Remembers how many parts of each idempotency key went out, so a retry skips them."""

    def __init__(self, capacity: int = 4096) -> None:
        self._done: OrderedDict[str, int] = OrderedDict()
        self._capacity = capacity

    def done(self, key: str) -> int:
        return self._done.get(key, 0)

    def mark(self, key: str, count: int) -> None:
        self._done[key] = count
        self._done.move_to_end(key)
        while len(self._done) > self._capacity:
            self._done.popitem(last=False)

    def forget(self, key: str) -> None:
        self._done.pop(key, None)


async def send_parts(message: OutboundMessage, parts: list[str], progress: PartProgress,
                     reserve: Callable[[int], None], send_one: Callable[[int, str], Awaitable[None]]) -> None:
    """Send the parts not yet delivered; ``reserve(n)`` takes n rate-limit tokens or raises."""
    start = progress.done(message.idempotency_key)
    remaining = parts[start:]
    if not remaining:
        return
    reserve(len(remaining))
    for index, part in enumerate(remaining, start):
        await send_one(index, part)
        progress.mark(message.idempotency_key, index + 1)
    progress.forget(message.idempotency_key)


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
