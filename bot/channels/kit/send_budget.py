"""A personal-WeChat account's send budget: at most so many sends per hour and per day, with a random gap between
two sends (accounts that post in bursts get restricted or banned). On the injected clock and random source; never
sleeps: a spent budget raises BudgetSpent, a gap not yet over raises Paced (a Throttled), each with the seconds
to wait.

Every process sending on the account counts the same sends: the outbox takes a turn in the database before each
send (bot/send_turns.py) and loads the account's record into the budget first."""
from __future__ import annotations

import bisect
import math
import random
from collections import deque
from datetime import datetime, timezone
from typing import Iterable

from bot.channels.base import BudgetSpent, Paced
from bot.clock import Clock

HOUR, DAY = 3600.0, 86400.0
BULK_KINDS = frozenset({"broadcast", "notice", "agenda", "digest"})  # what waits for the budget and the gap


class SendBudget:
    def __init__(self, *, per_hour: int, per_day: int, gap_seconds: tuple[float, float], clock: Clock,
                 rng: random.Random | None = None, name: str = "bridge") -> None:
        low, high = gap_seconds
        if per_hour < 1 or per_day < per_hour or low < 0 or high < low:
            raise ValueError("need 1 <= per_hour <= per_day and 0 <= gap minimum <= gap maximum")
        self.per_hour, self.per_day, self.gap, self.name = per_hour, per_day, (low, high), name
        self._clock, self._rng = clock, rng or random.Random()
        self._sent: deque[float] = deque()  # send times within the last day, oldest first
        self._next_at = 0.0

    def check(self, kinds: frozenset[str] = frozenset()) -> None:
        """Raise unless a send may go now; a pause names the ``kinds`` of rows it holds."""
        now = self._forget_old()
        if len(self._sent) >= self.per_day:
            raise BudgetSpent(f"{self.name}: daily budget of {self.per_day} sends spent",
                              retry_after=_wait(self._sent[0] + DAY - now))
        in_hour = len(self._sent) - bisect.bisect_right(self._sent, now - HOUR)
        if in_hour >= self.per_hour:
            oldest = self._sent[len(self._sent) - in_hour]
            raise BudgetSpent(f"{self.name}: hourly budget of {self.per_hour} sends spent",
                              retry_after=_wait(oldest + HOUR - now))
        if now < self._next_at:
            raise Paced(f"{self.name}: pacing between sends", retry_after=_wait(self._next_at - now), kinds=kinds)

    def spend(self) -> tuple[datetime, datetime]:
        """Count one send now and draw the gap before the next; returns (now, when the gap ends)."""
        now = self._clock.now()
        self._sent.append(now.timestamp())
        self._next_at = now.timestamp() + self._rng.uniform(*self.gap)
        return now, datetime.fromtimestamp(self._next_at, tz=timezone.utc)

    def load(self, turns: Iterable[tuple[datetime, datetime]]) -> None:
        """Take the account's sends of the last day as recorded by every process (storage/send_turns.py: when
        each was sent, and when the gap drawn after it ends), in place of what this process counted itself."""
        now = self._clock.now().timestamp()
        sent, next_at = [], 0.0
        for at, gap_ends in turns:
            if now - DAY < at.timestamp():  # one a little ahead of this clock (another host's) counts too
                sent.append(at.timestamp())
            next_at = max(next_at, gap_ends.timestamp())
        self._sent, self._next_at = deque(sorted(sent)), next_at

    def now(self) -> datetime:
        return self._clock.now()

    def spent(self) -> tuple[int, int]:
        """Sends in the last hour and the last day."""
        now = self._forget_old()
        return len(self._sent) - bisect.bisect_right(self._sent, now - HOUR), len(self._sent)

    def _forget_old(self) -> float:
        now = self._clock.now().timestamp()
        while self._sent and self._sent[0] <= now - DAY:
            self._sent.popleft()
        return now


def _wait(seconds: float) -> float:
    """Rounded up to the millisecond, never 0: a row due again a hair early would wait a whole backoff instead."""
    return max(math.ceil(seconds * 1000) / 1000, 0.001)
