"""Per-target token buckets on an injected clock. Never sleeps: over the limit it raises
Throttled (a TemporaryFailure) with the seconds until enough tokens are back, and the outbox retries later."""
from __future__ import annotations

from dataclasses import dataclass

from bot.channels.base import PermanentFailure, Throttled
from bot.clock import Clock

_MAX_KEYS = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """``limit`` sends per ``per_seconds`` for each key (robot key, member, chat), bursts up to ``limit``."""

    def __init__(self, limit: int, per_seconds: float, clock: Clock, *, name: str = "rate") -> None:
        if limit < 1 or per_seconds <= 0:
            raise ValueError("limit must be >= 1 and per_seconds > 0")
        self.limit, self.name = limit, name
        self._rate = limit / per_seconds
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def acquire(self, key: str, n: int = 1) -> None:
        """Take ``n`` tokens for ``key`` at once, or raise without taking any."""
        if n > self.limit:
            raise PermanentFailure(f"{self.name}: {n} parts exceed the limit of {self.limit} per window")
        refused = self.refusal(key, n)
        if refused is not None:
            raise refused
        self._buckets[key].tokens -= n

    def refusal(self, key: str, n: int = 1) -> Throttled | None:
        """What ``acquire`` would raise for ``n`` tokens of ``key`` now, taking none; None when they are there."""
        bucket = self._refill(key)
        if bucket.tokens >= n:
            return None
        return Throttled(f"{self.name} limit reached for {key}", retry_after=round((n - bucket.tokens) / self._rate, 3))

    def available(self, key: str) -> float:
        return self._refill(key).tokens

    def _refill(self, key: str) -> _Bucket:
        now = self._clock.now().timestamp()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= _MAX_KEYS:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(float(self.limit), now)
        bucket.tokens = min(float(self.limit), bucket.tokens + max(0.0, now - bucket.updated) * self._rate)
        bucket.updated = now
        return bucket

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled completely: they hold no state worth keeping."""
        full_after = self.limit / self._rate
        for key in [k for k, b in self._buckets.items() if now - b.updated >= full_after]:
            del self._buckets[key]
