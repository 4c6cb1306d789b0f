"""What the scheduler runs: the jobs built from config, each a cron trigger and a unit of work."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from apscheduler.triggers.cron import CronTrigger
from sqlmodel import Session

from bot.scheduling.cron import crontab_trigger
from handlers import retention, texts
from handlers.routines import agenda, digest, notices, timers


@dataclass(frozen=True)
class Run:
    """One fire of one job, as the work sees it."""

    job_id: str
    scheduled_for: datetime  # UTC
    now: datetime
    config: Any

    @property
    def key(self) -> str:
        """Prefix of the idempotency keys of everything this fire writes."""
        return f"job:{self.job_id}:{self.scheduled_for:%Y%m%dT%H%MZ}"


Work = Callable[[Session, Run], int]


@dataclass(frozen=True)
class Job:
    id: str
    trigger: CronTrigger
    work: Work
    targets: str  # for `gridbot schedule`
    coalesce: bool = False  # run only the latest missed fire, whatever its age (idempotent work)
    keep: timedelta | None = None  # prune this job's run rows older than this
    listed: bool = True
    title: str = ""  # how officers read the job's name (a skipped run in the digest)


def build_jobs(config: Any) -> list[Job]:
    jobs = [_schedule_job(config, schedule) for schedule in config.schedules]
    if config.friday.enabled:
        jobs += _friday_jobs(config)
    if config.privacy.retain_message_days:
        hour, minute = config.privacy.purge_time.split(":")
        jobs.append(Job("privacy:purge", crontab_trigger(f"{int(minute)} {int(hour)} * * *", config.community.timezone),
                        _purge, f"message text older than {config.privacy.retain_message_days} days", coalesce=True,
                        keep=timedelta(days=60), title=texts.JOB_TITLES["purge"]))
    if config.scheduler.timers:
        jobs.append(Job("timers", crontab_trigger("* * * * *", config.community.timezone), _timers,
                        "case-work timers", coalesce=True, keep=timedelta(days=2), listed=False,
                        title=texts.JOB_TITLES["timers"]))
    return jobs


def _schedule_job(config: Any, schedule: Any) -> Job:
    trigger = crontab_trigger(schedule.cron, schedule.timezone or config.community.timezone)
    if schedule.kind == "digest":
        def work(session: Session, run: Run) -> int:
            return digest.send_digests(session, config=run.config, schedule=schedule, run_key=run.key,
                                       since=run.scheduled_for - timedelta(days=1), now=run.now)
        officers = sorted({g.officer for g in config.grids if _targeted(schedule, g.id)})
        return Job(f"digest:{schedule.id}", trigger, work, ", ".join(officers),
                   title=texts.JOB_TITLES["digest"])

    def notice(session: Session, run: Run) -> int:
        return notices.post_notices(session, schedule=schedule, run_key=run.key, now=run.now)
    grids = [g.id for g in config.grids if _targeted(schedule, g.id)]
    topics = "/".join(schedule.topic_list)
    names = "、".join(notices.topic_name(t) for t in schedule.topic_list)
    return Job(f"notice:{schedule.id}", trigger, notice, f"{', '.join(grids)} ({topics})",
               title=texts.JOB_TITLES["notice"].format(topics=names))


def _targeted(schedule: Any, grid_id: str) -> bool:
    return "all" in schedule.targets or grid_id in schedule.targets


def _friday_jobs(config: Any) -> list[Job]:
    def at(hhmm: str) -> CronTrigger:
        hour, minute = hhmm.split(":")
        return crontab_trigger(f"{int(minute)} {int(hour)} * * 5", config.community.timezone)

    who = "officers and mediators concerned"
    return [
        Job("friday:agenda", at(config.friday.agenda_time), _agenda, who, title=texts.JOB_TITLES["agenda"]),
        Job("friday:outcome", at(config.friday.outcome_time), _outcome, who, title=texts.JOB_TITLES["outcome"]),
    ]


def _agenda(session: Session, run: Run) -> int:
    return agenda.post_agenda(session, config=run.config, run_key=run.key, now=run.now)


def _outcome(session: Session, run: Run) -> int:
    return agenda.ask_outcomes(session, config=run.config, run_key=run.key, now=run.now)


def _timers(session: Session, run: Run) -> int:
    return timers.run_timers(session, config=run.config, now=run.now)


def _purge(session: Session, run: Run) -> int:
    """The daily retention purge; stored files no row needs any more are deleted after the rows are blanked."""
    from bot.media.store import make_store

    done = retention.purge(session, now=run.now, days=run.config.privacy.retain_message_days)
    store = make_store(run.config.media.root)
    for key in done.files:
        store.delete(key)
    return done.total
