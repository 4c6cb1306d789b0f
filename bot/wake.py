"""Waiting for a wake-up with a limit, in a way that a cancellation always ends; stopping the loops that wait.

The background loops (pipeline, outbox, media) wait for their event or a poll interval. ``asyncio.wait_for`` on
Python 3.11 can swallow a cancellation that arrives just as the event is set (the inner wait finished first), so
a loop told to stop went on polling and the app's shutdown waited for it forever. ``asyncio.timeout`` does not
lose it."""
from __future__ import annotations

import asyncio
import logging

log = logging.getLogger(__name__)


async def wake_or_timeout(event: asyncio.Event, seconds: float) -> bool:
    """Wait until ``event`` is set or ``seconds`` pass; True if it was set. A cancellation is always raised."""
    try:
        async with asyncio.timeout(seconds):
            await event.wait()
    except TimeoutError:
        return False
    return True


STOP_SECONDS = 10.0  # a background loop that has not ended this long after its cancellation is left behind


async def stop_tasks(tasks: list[asyncio.Task]) -> None:
    """Cancel the background loops and wait for them, at most STOP_SECONDS: a shutdown never hangs on one."""
    for task in tasks:
        task.cancel()
    if not tasks:
        return
    _, pending = await asyncio.wait(tasks, timeout=STOP_SECONDS)
    for task in pending:
        log.error("background task %s did not stop within %.0f s of its cancellation", task.get_name(), STOP_SECONDS)
