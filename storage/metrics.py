"""Aggregates for /metrics, each one SQL query. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import JobRun, Message, Outbox


def inbox_backlog(session: Session) -> tuple[int, datetime | None]:
    """(messages stored but not handled, when the oldest of them arrived); parked messages aside."""
    count, oldest = session.exec(select(func.count(), func.min(Message.received_at))
                                 .where(Message.handled_at.is_(None), Message.parked_at.is_(None))).one()
    return count, oldest


def inbox_parked(session: Session) -> int:
    """Messages parked after their last try (`gridbot inbox list`)."""
    return session.exec(select(func.count()).where(Message.handled_at.is_(None), Message.parked_at.is_not(None))).one()


def outbox_by_channel(session: Session) -> list[tuple[str, str, int]]:
    """(channel, status, rows) for pending and failed rows."""
    stmt = (select(Outbox.channel, Outbox.status, func.count()).where(Outbox.status.in_(("pending", "failed")))
            .group_by(Outbox.channel, Outbox.status))
    return [(c, s, n) for c, s, n in session.exec(stmt).all()]


def job_runs_by_status(session: Session) -> list[tuple[str, int]]:
    return [(s, n) for s, n in session.exec(select(JobRun.status, func.count()).group_by(JobRun.status)).all()]
