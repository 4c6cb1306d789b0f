"""The scheduler's cleanup_ctx: built after the workers (it wakes the outbox), looping only in the background."""
from __future__ import annotations

import asyncio
from typing import AsyncIterator, Callable

from aiohttp import web

from bot.keys import CLOCK, CONFIG, ENGINE, EXECUTOR, OUTBOX, SCHEDULER
from bot.scheduling.leader import Leader
from bot.scheduling.scheduler import Scheduler
from bot.wake import stop_tasks


def scheduler_ctx(background: bool) -> Callable[[web.Application], AsyncIterator[None]]:
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        app[SCHEDULER] = Scheduler(engine=app[ENGINE], executor=app[EXECUTOR], config=app[CONFIG],
                                   clock=app[CLOCK], on_written=app[OUTBOX].wake.set)
        leader = Leader(app[ENGINE])
        task = asyncio.create_task(app[SCHEDULER].run_forever(leader), name="scheduler") if background else None
        yield
        if task is not None:
            await stop_tasks([task])
            await asyncio.get_running_loop().run_in_executor(app[EXECUTOR], leader.release)
    return ctx
