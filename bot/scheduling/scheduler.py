"""Scheduled work, exactly once: our own small scheduler over APScheduler's cron triggers.

APScheduler computes fire times; the database owns the truth. Every fire is a ``JobRun`` row, unique
on (job id, fire time), inserted in the same transaction as the outbox rows it causes, so a restart or
a second process never sends twice. See docs/scheduling.md for the policy (grace, skips, baselines).
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from bot.clock import Clock, SystemClock
from bot.scheduling.cron import ONE_MICROSECOND, fires_between, last_fire, next_fire
from bot.scheduling.jobs import Job, Run, build_jobs
from bot.scheduling.leader import Leader
from handlers import texts
from storage import job_runs
from storage.db import session as new_session
from storage.models import AuditEntry

log = logging.getLogger(__name__)
MAX_WAIT = 60.0  # seconds; run_forever looks again at least this often (retries of failed runs)
MIN_WAIT = 0.2


@dataclass(frozen=True)
class Outcome:
    job_id: str
    scheduled_for: datetime
    status: str  # done, skipped, taken (another process had it), failed (rolled back; retried later)
    count: int = 0


class Scheduler:
    def __init__(self, *, engine: Engine, executor: Executor | None, config: Any, clock: Clock,
                 on_written: Callable[[], None] = lambda: None, jobs: list[Job] | None = None) -> None:
        self.engine, self.executor, self.config, self.clock = engine, executor, config, clock
        self.on_written = on_written
        self.jobs = build_jobs(config) if jobs is None else jobs
        self.started = clock.now()
        self.grace = timedelta(minutes=config.scheduler.misfire_grace_minutes)

    async def run_due(self) -> list[Outcome]:
        """Run every fire that is due by the clock's now, once each; returns what happened."""
        outcomes = await asyncio.get_running_loop().run_in_executor(self.executor, self.run_due_sync)
        if any(o.status == "done" and o.count for o in outcomes):
            self.on_written()
        return outcomes

    def run_due_sync(self) -> list[Outcome]:
        now = self.clock.now()
        return [self.fire(job, when, now=now) for when, job in self.due(now)]

    def due(self, now: datetime) -> list[tuple[datetime, Job]]:
        """(fire time, job) pairs owed by ``now``, oldest first: after each job's last recorded fire."""
        pending: list[tuple[datetime, int, Job]] = []
        for order, job in enumerate(self.jobs):
            try:
                after = self._after(job)
            except Exception:  # a database hiccup for one job must not stop the others
                log.exception("job %s: could not read its last run; trying again next pass", job.id)
                continue
            if job.coalesce:
                latest = last_fire(job.trigger, after, now)
                fires = [latest] if latest else []
            else:
                fires = list(fires_between(job.trigger, after, now))
            for when in fires:
                pending.append((when.astimezone(timezone.utc), order, job))
        return [(when, job) for when, _, job in sorted(pending, key=lambda p: (p[0], p[1]))]

    def _after(self, job: Job) -> datetime:
        """The last recorded fire of the job; the first time, a baseline at this scheduler's start."""
        with new_session(self.engine) as session:
            last = job_runs.last_run(session, job_id=job.id)
            if last is not None:
                return last
            baseline = self.started - ONE_MICROSECOND  # a fire exactly at start is owed
            try:
                job_runs.record_run(session, job_id=job.id, scheduled_for=baseline, now=self.clock.now(),
                                            status="baseline")
                session.commit()
            except (IntegrityError, OperationalError):  # another process wrote one first (or holds the lock)
                session.rollback()
            return job_runs.last_run(session, job_id=job.id) or baseline

    def fire(self, job: Job, when: datetime, *, now: datetime) -> Outcome:
        """Run (or skip) one fire in one transaction; a unique violation means another process did it."""
        late = now - when
        skip = not job.coalesce and late > self.grace
        with new_session(self.engine) as session:
            try:
                row = job_runs.record_run(session, job_id=job.id, scheduled_for=when, now=now,
                                                  status="skipped" if skip else "done")
                if skip:
                    self._record_skip(session, job, when, late, now)
                else:
                    row.count = job.work(session, Run(job_id=job.id, scheduled_for=when, now=now,
                                                      config=self.config))
                    session.add(row)
                if job.keep is not None:
                    job_runs.prune_runs(session, job_id=job.id, before=when - job.keep)
                session.commit()
            except IntegrityError:
                session.rollback()
                log.info("job %s at %s: already run by another process", job.id, when.isoformat())
                return Outcome(job.id, when, "taken")
            except Exception:
                session.rollback()
                log.exception("job %s at %s failed; it is retried while within the grace", job.id, when.isoformat())
                return Outcome(job.id, when, "failed")
        return Outcome(job.id, when, "skipped" if skip else "done", row.count)

    def _record_skip(self, session: Session, job: Job, when: datetime, late: timedelta, now: datetime) -> None:
        local = when.astimezone(self.config.tz).strftime("%Y-%m-%d %H:%M")
        minutes = int(late.total_seconds() // 60)
        grace = int(self.grace.total_seconds() // 60)
        log.warning("schedule: %s due %s missed by %d min (grace %d min): skipped", job.id, local, minutes, grace)
        detail = texts.SCHEDULE_SKIPPED.format(job=job.title or job.id, due=local, minutes=minutes, grace=grace)
        session.add(AuditEntry(at=now, actor_id="scheduler", action="schedule_skipped", detail=detail))

    def next_wake(self) -> datetime | None:
        now = self.clock.now()
        fires = [f for f in (next_fire(job.trigger, now) for job in self.jobs) if f is not None]
        return min(fires) if fires else None

    async def run_forever(self, leader: Leader | None = None) -> None:
        """Run what is due, then wait until the next fire (the only real waiting in the bot's schedule).
        With a ``leader``, only while this process holds the lead."""
        loop = asyncio.get_running_loop()
        while True:
            try:
                if leader is None or await loop.run_in_executor(self.executor, leader.lead):
                    await self.run_due()
            except Exception:
                log.exception("scheduler error")
            wake = self.next_wake()
            delay = MAX_WAIT if wake is None else (wake - self.clock.now()).total_seconds()
            await asyncio.sleep(min(max(delay, MIN_WAIT), MAX_WAIT))


def next_runs(config: Any, now: datetime | None = None) -> list[str]:
    """The next run of every scheduled job (not the minute timers), soonest first, one line each."""
    now = now or SystemClock().now()
    lines: list[tuple[datetime, str]] = []
    for job in build_jobs(config):
        if not job.listed:
            continue
        when = next_fire(job.trigger, now - ONE_MICROSECOND)
        if when is not None:
            zone = str(job.trigger.timezone)
            lines.append((when, f"{when:%Y-%m-%d %H:%M} {zone}  {job.id}  → {job.targets}"))
    return [line for _, line in sorted(lines, key=lambda item: item[0])]
