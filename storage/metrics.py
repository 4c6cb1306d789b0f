"""Aggregates for /metrics, each one SQL query. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select

from storage.models import Broadcast, BroadcastDelivery, JobRun, Message, Outbox


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


def outbox_oldest_pending(session: Session) -> list[tuple[str, datetime]]:
    """(channel, when its oldest pending row was written): how long the oldest waiting message has waited."""
    stmt = (select(Outbox.channel, func.min(Outbox.created_at)).where(Outbox.status == "pending")
            .group_by(Outbox.channel))
    return [(c, _aware(at)) for c, at in session.exec(stmt).all()]


def outbox_failures(session: Session, *, max_attempts: int) -> list[tuple[str, str, int]]:
    """(channel, reason class, rows) of the rows that failed: ``permanent`` (refused outright: a bad address, no
    permission, a message the platform rejects) or ``retries_exhausted`` (temporary failures until the last try);
    and the pending rows now waiting to be ``retrying`` after a failed or throttled try."""
    reason = case((Outbox.status == "pending", "retrying"), (Outbox.attempts >= max_attempts, "retries_exhausted"),
                  else_="permanent")
    stmt = (select(Outbox.channel, reason, func.count())
            .where(or_(Outbox.status == "failed",
                       and_(Outbox.status == "pending", col(Outbox.last_error).is_not(None))))
            .group_by(Outbox.channel, reason))
    return [(c, r, n) for c, r, n in session.exec(stmt).all()]


def broadcast_progress(session: Session) -> list[tuple[int, str, int]]:
    """(broadcast id, copy state: pending, sent or failed, copies) of each confirmed broadcast whose drafter has not
    yet been told the outcome (reported_at unset: some copies are still on their way, or were just settled)."""
    state = func.coalesce(Outbox.status, "pending")
    stmt = (select(Broadcast.id, state, func.count())
            .join(BroadcastDelivery, BroadcastDelivery.broadcast_id == Broadcast.id)
            .join(Outbox, Outbox.id == BroadcastDelivery.outbox_id, isouter=True)
            .where(Broadcast.status == "sent", col(Broadcast.reported_at).is_(None)).group_by(Broadcast.id, state))
    return [(b, s, n) for b, s, n in session.exec(stmt).all()]


def job_last_runs(session: Session) -> list[tuple[str, datetime]]:
    """(job id, when it last ran) for every job with a recorded run (old runs are pruned per job)."""
    stmt = select(JobRun.job_id, func.max(JobRun.ran_at)).group_by(JobRun.job_id)
    return [(j, _aware(at)) for j, at in session.exec(stmt).all()]


def _aware(at: datetime) -> datetime:
    """func.min/max over a datetime column come back as the stored value (SQLite: naive UTC text parsed as naive)."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)
