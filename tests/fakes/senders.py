"""A scripted sender: records what it is asked to send and fails as the test tells it to."""
from __future__ import annotations

import asyncio
from collections import deque

from bot.channels.base import OutboundMessage, TemporaryFailure


class FakeSender:
    def __init__(self, channel: str = "sandbox") -> None:
        self.channel = channel
        self.sent: list[OutboundMessage] = []
        self.calls = 0
        self.failures: deque[Exception] = deque()
        self.down_for: set[str] = set()  # chat ids whose every send fails


    def fail_next(self, *errors: Exception) -> None:
        self.failures.extend(errors)

    async def send(self, message: OutboundMessage) -> None:
        self.calls += 1
        if message.chat_id in self.down_for:
            raise TemporaryFailure(f"{message.chat_id} unreachable")
        if self.failures:
            raise self.failures.popleft()
        self.sent.append(message)


class SlowSender(FakeSender):
    """A sender whose sends wait until the test lets them through (a gateway that hangs); ``finish()`` lets every
    send then in flight through."""

    def __init__(self, channel: str = "sandbox") -> None:
        super().__init__(channel)
        self.started: list[OutboundMessage] = []
        self._begun: asyncio.Queue[OutboundMessage] = asyncio.Queue()
        self._release = asyncio.Event()

    async def send(self, message: OutboundMessage) -> None:
        self.started.append(message)
        self._begun.put_nowait(message)
        await self._release.wait()
        await super().send(message)

    async def in_flight(self) -> OutboundMessage:
        """Wait until the next send has begun; the message it sends."""
        return await self._begun.get()

    def finish(self) -> None:
        self._release.set()
        self._release = asyncio.Event()


class ManualPulse:
    """The outbox's lease heartbeat on demand: the renewal loop waits here until the test calls ``beat()``."""

    def __init__(self) -> None:
        self._go = asyncio.Event()
        self._parked = asyncio.Event()

    async def __call__(self) -> None:
        self._parked.set()
        await self._go.wait()
        self._go.clear()

    async def beat(self) -> None:
        """Let one renewal run and wait until it is done (the loop parked again)."""
        await self._parked.wait()
        self._parked.clear()
        self._go.set()
        await self._parked.wait()
