"""Case queries and audited changes. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlmodel import Session, select

from storage.models import Case, CaseEvent


def open_case(session: Session, *, now: datetime, actor_id: str, **fields: Any) -> Case:
    """Create a case (status ``open``, or ``assigned`` when an assignee is given) with its events."""
    case = Case(created_at=now, updated_at=now, status="open", **fields)
    session.add(case)
    session.flush()
    record_event(session, case=case, now=now, actor_id=actor_id, action="opened", to_status="open",
                 detail=f"{case.kind}/{case.subtype or case.scam_type or '-'}")
    if case.assignee_id:
        set_status(session, case=case, now=now, actor_id="gridbot", action="assigned",
                   to_status="assigned", detail=f"assignee {case.assignee_id}")
    return case


def record_event(
    session: Session, *, case: Case, now: datetime, actor_id: str, action: str,
    from_status: str | None = None, to_status: str | None = None, detail: str = "",
) -> CaseEvent:
    event = CaseEvent(case_id=case.id, at=now, actor_id=actor_id, action=action,
                      from_status=from_status, to_status=to_status, detail=detail)
    session.add(event)
    return event


def set_status(
    session: Session, *, case: Case, now: datetime, actor_id: str, action: str, to_status: str, detail: str = "",
) -> CaseEvent:
    """Change a case's status and record who did it, from what, to what. Validity is the caller's call."""
    from_status = case.status
    case.status = to_status
    case.updated_at = now
    case.version += 1
    if to_status == "resolved":
        case.resolved_at = now
    if to_status == "closed":
        case.closed_at = now
    session.add(case)
    return record_event(session, case=case, now=now, actor_id=actor_id, action=action,
                        from_status=from_status, to_status=to_status, detail=detail)


def touch(session: Session, *, case: Case, now: datetime) -> None:
    case.updated_at = now
    case.version += 1
    session.add(case)


def get_case(session: Session, *, case_id: int, for_update: bool = False) -> Case | None:
    stmt = select(Case).where(Case.id == case_id)
    if for_update:
        stmt = stmt.with_for_update()
    return session.exec(stmt).first()


def list_cases(
    session: Session, *, kind: str | None = None, status: str | None = None, grid_id: str | None = None,
    assignee_id: str | None = None, limit: int = 500,
) -> Sequence[Case]:
    stmt = select(Case)
    for column, value in ((Case.kind, kind), (Case.status, status), (Case.grid_id, grid_id),
                          (Case.assignee_id, assignee_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    return session.exec(stmt.order_by(Case.id.desc()).limit(limit)).all()


def case_events(session: Session, *, case_id: int) -> Sequence[CaseEvent]:
    return session.exec(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)).all()
