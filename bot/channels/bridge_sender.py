"""Outbound for the bridge (channel "bridge"): POST each outbox row to the gateway.

The body is ``{"idempotency_key", "chat_id", "is_direct", "text", "mention_ids"}``, signed like
inbound events (``X-Bridge-Timestamp``, ``X-Bridge-Signature``). The gateway must deliver each
idempotency key at most once: the outbox retries a row after any TemporaryFailure.
"""
from __future__ import annotations

import json

import aiohttp

from bot.channels.base import OutboundMessage, PermanentFailure
from bot.channels.callback_security import hmac_sha256_hex
from bot.channels.rate_limit import RateLimiter
from bot.channels.wecom_api import request_json
from bot.clock import Clock


class BridgeSender:
    channel = "bridge"

    def __init__(self, session: aiohttp.ClientSession, *, outbound_url: str, secret: str, clock: Clock,
                 per_chat_limit: int = 20, per_seconds: float = 60, timeout: float = 10.0) -> None:
        if not outbound_url or not secret:
            raise ValueError("bridge outbound_url and secret are required")
        self._session, self._url, self._secret = session, outbound_url, secret
        self._clock, self._timeout = clock, timeout
        self._limiter = RateLimiter(per_chat_limit, per_seconds, clock, name="bridge")

    async def send(self, message: OutboundMessage) -> None:
        self._limiter.acquire(message.chat_id)
        body = json.dumps({"idempotency_key": message.idempotency_key, "chat_id": message.chat_id,
                           "is_direct": message.is_direct, "text": message.text,
                           "mention_ids": list(message.mentions)}, ensure_ascii=False).encode("utf-8")
        ts = str(int(self._clock.now().timestamp()))
        headers = {"Content-Type": "application/json", "X-Bridge-Timestamp": ts,
                   "X-Bridge-Signature": hmac_sha256_hex(self._secret, ts, body)}
        data = await request_json(self._session, "POST", self._url, data=body, headers=headers,
                                  timeout=self._timeout, what="bridge outbound")
        if data.get("ok") is not True:
            raise PermanentFailure(f"bridge outbound: gateway refused: {data.get('error') or data}")
