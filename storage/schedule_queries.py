"""Queries for scheduled work. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy import delete, func
from sqlmodel import Session, select

from storage.casework_models import VisitTask
from storage.models import AuditEntry, Case, CaseEvent, Outbox
from storage.schedule_models import AgendaItem, JobRun, NoticeRotation

UNRESOLVED = ("open", "assigned", "in_progress")


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


def last_notice(session: Session, *, group_id: int, topic: str) -> NoticeRotation | None:
    return session.exec(select(NoticeRotation).where(NoticeRotation.group_id == group_id,
                                                     NoticeRotation.topic == topic)).first()


def remember_notice(session: Session, *, group_id: int, topic: str, text_id: str, now: datetime) -> None:
    row = last_notice(session, group_id=group_id, topic=topic)
    if row is None:
        row = NoticeRotation(group_id=group_id, topic=topic, last_text_id=text_id, sent_at=now)
    row.last_text_id, row.sent_at = text_id, now
    session.add(row)


def unresolved_disputes(session: Session) -> Sequence[Case]:
    return session.exec(select(Case).where(Case.kind == "dispute", Case.status.in_(UNRESOLVED))
                        .order_by(Case.created_at, Case.id)).all()


def cases_with_events(session: Session, *, case_ids: Sequence[int], actions: Sequence[str]) -> dict[int, set[str]]:
    """{case id: the subset of ``actions`` that case has events for}."""
    if not case_ids:
        return {}
    rows = session.exec(select(CaseEvent.case_id, CaseEvent.action)
                        .where(CaseEvent.case_id.in_(case_ids), CaseEvent.action.in_(actions))).all()
    found: dict[int, set[str]] = {}
    for case_id, action in rows:
        found.setdefault(case_id, set()).add(action)
    return found


def recent_events(session: Session, *, case_id: int, limit: int) -> list[CaseEvent]:
    rows = session.exec(select(CaseEvent).where(CaseEvent.case_id == case_id)
                        .order_by(CaseEvent.id.desc()).limit(limit)).all()
    return list(reversed(rows))


def latest_agenda_week(session: Session, *, before: str) -> str | None:
    """The most recent stored agenda week strictly before ``before`` (ISO dates sort as text)."""
    return session.exec(select(func.max(AgendaItem.week)).where(AgendaItem.week < before)).one()


def agenda_items(session: Session, *, week: str) -> Sequence[AgendaItem]:
    return session.exec(select(AgendaItem).where(AgendaItem.week == week).order_by(AgendaItem.position)).all()


def save_agenda(session: Session, *, week: str, items: Sequence[tuple[int, str]], now: datetime) -> None:
    """Store one Friday's agenda: (case id, reasons) in suggested order."""
    for position, (case_id, reasons) in enumerate(items, start=1):
        session.add(AgendaItem(week=week, case_id=case_id, position=position, reasons=reasons, created_at=now))


def cases_created(session: Session, *, since: datetime, until: datetime, grid_ids: Sequence[str],
                  kind: str | None = None) -> Sequence[Case]:
    stmt = select(Case).where(Case.created_at > since, Case.created_at <= until, Case.grid_id.in_(grid_ids))
    if kind is not None:
        stmt = stmt.where(Case.kind == kind)
    return session.exec(stmt.order_by(Case.id)).all()


def open_cases_older_than(session: Session, *, before: datetime, grid_ids: Sequence[str]) -> Sequence[Case]:
    return session.exec(select(Case).where(Case.status.in_(UNRESOLVED), Case.created_at < before,
                                           Case.grid_id.in_(grid_ids)).order_by(Case.created_at, Case.id)).all()


def resolved_awaiting_followup(session: Session, *, resolved_before: datetime,
                               grid_ids: Sequence[str]) -> Sequence[Case]:
    """Disputes resolved (not yet closed) long enough ago that the follow-up visit (回访) is due."""
    return session.exec(select(Case).where(Case.kind == "dispute", Case.status == "resolved",
                                           Case.resolved_at <= resolved_before, Case.grid_id.in_(grid_ids))
                        .order_by(Case.resolved_at, Case.id)).all()


def audit_since(session: Session, *, action: str, since: datetime) -> Sequence[AuditEntry]:
    return session.exec(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.at > since)
                        .order_by(AuditEntry.id)).all()


def failed_since(session: Session, *, since: datetime, limit: int = 20) -> Sequence[Outbox]:
    """Outbox rows that failed for good, created after ``since`` (they fail within minutes of creation)."""
    return session.exec(select(Outbox).where(Outbox.status == "failed", Outbox.created_at > since)
                        .order_by(Outbox.id).limit(limit)).all()


def open_visit_tasks(session: Session, *, grid_ids: Sequence[str]) -> Sequence[Case]:
    """Cases of these grids with an open home-visit task (the resident did not answer the 回访 survey)."""
    return session.exec(select(Case).join(VisitTask, VisitTask.case_id == Case.id)
                        .where(VisitTask.status == "open", Case.grid_id.in_(grid_ids))
                        .order_by(VisitTask.created_at, VisitTask.id)).all()
