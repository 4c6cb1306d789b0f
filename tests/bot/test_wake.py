"""A background loop told to stop stops, even when its wake-up arrives in the same instant (Python 3.11's
``asyncio.wait_for`` loses that cancellation; the app's shutdown then waited for the loop forever)."""
from __future__ import annotations

import asyncio
import sys

import pytest

from bot.wake import wake_or_timeout


async def _cancel_as_it_wakes(wait) -> asyncio.Task:  # noqa: ANN001
    event = asyncio.Event()
    task = asyncio.create_task(wait(event))
    await asyncio.sleep(0)  # the task now waits on the event
    event.set()
    task.cancel()  # in the same instant
    return task


async def test_a_cancellation_that_meets_the_wake_up_is_not_lost():
    task = await _cancel_as_it_wakes(lambda e: wake_or_timeout(e, 30))
    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="asyncio.wait_for keeps the cancellation from Python 3.12 on")
async def test_the_race_is_real_with_wait_for_on_python_3_11():
    """The same instant with ``asyncio.wait_for``: it returns as if woken, and the loop would go on."""
    task = await _cancel_as_it_wakes(lambda e: asyncio.wait_for(e.wait(), timeout=30))
    assert await task is True


async def test_a_timeout_and_a_wake_up_are_told_apart():
    event = asyncio.Event()
    assert await wake_or_timeout(event, 0) is False
    event.set()
    assert await wake_or_timeout(event, 30) is True


async def test_stopping_never_hangs_on_a_loop_that_ignores_its_cancellation(monkeypatch, caplog):
    from bot import wake

    ignored = []

    async def stubborn() -> None:
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                if ignored:  # the second cancellation (the test's own clean-up) ends it
                    raise
                ignored.append(True)  # a loop that swallows its first cancellation

    monkeypatch.setattr(wake, "STOP_SECONDS", 0.01)
    polite = asyncio.create_task(asyncio.sleep(3600), name="polite")
    task = asyncio.create_task(stubborn(), name="stubborn")
    await asyncio.sleep(0)
    await wake.stop_tasks([polite, task])
    assert polite.cancelled() and not task.done()
    assert "stubborn did not stop" in caplog.text
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
