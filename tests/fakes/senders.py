"""A scripted sender: records what it is asked to send and fails as the test tells it to."""
from __future__ import annotations

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
