"""Long texts go out as numbered parts: rate limits are checked for all parts before the first is
sent, and parts already delivered are skipped when the outbox retries the row."""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable

from bot.channels.base import OutboundMessage


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
