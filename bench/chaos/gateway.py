"""A slow bridge gateway on loopback that remembers every arrival: which key, when, and whether it was new.

It answers like docs/examples/bridge-outbound.mjs: a key is delivered once, a repeat gets ``{"ok": true}``, a repeat
arriving while its key is being delivered waits for that delivery.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import random
import time
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Arrival:
    key: str
    chat_id: str
    at: float  # time.time() when the request arrived
    done: float = 0.0  # when it was answered


@dataclass
class SlowGateway:
    secret: str
    delay: tuple[float, float] = (0.05, 1.0)  # seconds a delivery takes, uniformly drawn
    stall_every: int = 25  # about one delivery in this many takes `stall` seconds
    stall: float = 8.0
    arrivals: list[Arrival] = field(default_factory=list)
    delivered: dict[str, Arrival] = field(default_factory=dict)  # key → its first, delivered arrival
    url: str = ""
    _in_flight: dict[str, asyncio.Future] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _rng: random.Random = field(default_factory=lambda: random.Random(7))

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/outbound", self._outbound)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/outbound"
        return self.url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def repeats(self) -> dict[str, list[Arrival]]:
        """Keys that arrived more than once, with every arrival."""
        seen: dict[str, list[Arrival]] = {}
        for arrival in self.arrivals:
            seen.setdefault(arrival.key, []).append(arrival)
        return {key: found for key, found in seen.items() if len(found) > 1}

    async def _outbound(self, request: web.Request) -> web.Response:
        raw = await request.read()
        ts = request.headers.get("X-Bridge-Timestamp", "")
        expected = hmac.new(self.secret.encode(), ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, request.headers.get("X-Bridge-Signature", "")):
            return web.json_response({"ok": False, "error": "bad signature"}, status=401)
        body = json.loads(raw)
        arrival = Arrival(body["idempotency_key"], body["chat_id"], time.time())
        self.arrivals.append(arrival)
        if arrival.key in self.delivered:
            arrival.done = time.time()
            return web.json_response({"ok": True, "duplicate": True})
        if arrival.key in self._in_flight:
            await asyncio.shield(self._in_flight[arrival.key])
            arrival.done = time.time()
            return web.json_response({"ok": True, "duplicate": True})
        self._in_flight[arrival.key] = asyncio.get_running_loop().create_future()
        try:
            stalled = self._rng.randrange(self.stall_every) == 0
            await asyncio.sleep(self.stall if stalled else self._rng.uniform(*self.delay))
            self.delivered[arrival.key] = arrival  # delivered even if the sender has hung up meanwhile
        finally:
            self._in_flight.pop(arrival.key).set_result(None)
        arrival.done = time.time()
        return web.json_response({"ok": True})
