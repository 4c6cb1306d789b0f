"""When a message that failed is tried again: exponential backoff with jitter, capped, then parked.

A failure is *transient* when the database (or another outside part) was unavailable: the connection dropped,
the file was locked, a timeout. Those back off over minutes, because an outage usually lasts seconds to minutes:
5 s, 15 s, 45 s, 2 min 15 s, 6 min 45 s, then 15 min (the cap) four times: 10 tries spread over 35-70 min. Any other error is a
fault in the code that no wait will fix: 3 tries (5 s, 15 s), then the message is parked at once so that its chat's
later messages are not held up. Each wait is drawn between half and all of its step (jitter), so that processes and
messages that failed together do not all come back in the same instant."""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

FIRST_STEP = timedelta(seconds=5)
FACTOR = 3
CAP = timedelta(minutes=15)
TRANSIENT_TRIES = 10  # then parked
FAULT_TRIES = 3
TRANSIENT = (OperationalError, DisconnectionError, PoolTimeout, ConnectionError, TimeoutError, OSError)


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, TRANSIENT)


def tries_for(exc: BaseException) -> int:
    return TRANSIENT_TRIES if is_transient(exc) else FAULT_TRIES


def step(attempt: int) -> timedelta:
    """The full wait after the ``attempt``-th failed try (1-based), before jitter."""
    return min(CAP, FIRST_STEP * FACTOR ** (attempt - 1))


def delay(attempt: int, rng: random.Random) -> timedelta:
    """The wait after the ``attempt``-th failed try: between half and all of its step."""
    full = step(attempt)
    return full / 2 + full / 2 * rng.random()


def schedule(tries: int = TRANSIENT_TRIES) -> list[timedelta]:
    """The steps between the tries of a transient failure (for the documents and the tests)."""
    return [step(n) for n in range(1, tries)]
