"""Outbound for the WeCom AI bot (channel "aibot") and the group-robot webhook.

A reply goes once to the callback's ``response_url`` (valid one hour, usable once) when it is
fresh and the text fits one markdown message; otherwise to the group robot webhook configured
for that chat id (20 messages/min per key); otherwise PermanentFailure "no route".
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlsplit

import aiohttp

from bot.channels.base import OutboundMessage, PermanentFailure
from bot.channels.rate_limit import RateLimiter
from bot.channels.senders import PartProgress, send_parts
from bot.channels.text_split import split_text, utf8_len
from bot.channels.wecom_api import WECOM_API_BASE, ApiError, check_errcode, post_json
from bot.clock import Clock

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
        key = self._keys.get(message.chat_id)
        if key is None:
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
