"""Queries of JobRun: one row per fire of a scheduled job. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy import delete, func
from sqlmodel import Session, select

from storage.models import JobRun


def last_run(session: Session, *, job_id: str) -> datetime | None:
    """The latest recorded fire of a job (done, skipped or baseline)."""
    return session.exec(select(func.max(JobRun.scheduled_for)).where(JobRun.job_id == job_id)).one()


def record_run(session: Session, *, job_id: str, scheduled_for: datetime, now: datetime, status: str = "done",
               count: int = 0, detail: str = "") -> JobRun:
    """Add the run row and flush, so a second process's row for the same fire fails here."""
    row = JobRun(job_id=job_id, scheduled_for=scheduled_for, ran_at=now, status=status, count=count,
                 detail=detail[:500])
    session.add(row)
    session.flush()
    return row


def done_runs(session: Session, *, job_id: str) -> int:
    return session.exec(select(func.count()).select_from(JobRun)
                        .where(JobRun.job_id == job_id, JobRun.status == "done")).one()


def prune_runs(session: Session, *, job_id: str, before: datetime) -> None:
    session.exec(delete(JobRun).where(JobRun.job_id == job_id, JobRun.scheduled_for < before))


def runs(session: Session, *, job_id: str | None = None) -> Sequence[JobRun]:
    stmt = select(JobRun)
    if job_id is not None:
        stmt = stmt.where(JobRun.job_id == job_id)
    return session.exec(stmt.order_by(JobRun.scheduled_for, JobRun.id)).all()
