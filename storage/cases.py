"""Queries of Case and CaseEvent. Keyword-only, session first, never commit. Status changes are
handlers/cases/flow.py's alone."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.listing import Page, first_rows
from storage.models import ACTIVE_STATUSES, Case, CaseEvent, Kind, Status, Survey, VisitTask

ACTIVE = ACTIVE_STATUSES


def insert_case(session: Session, *, now: datetime, **fields: Any) -> Case:
    """A new case row, status ``open`` (handlers/cases/flow.py records its events and moves it)."""
    case = Case(created_at=now, updated_at=now, status=Status.OPEN, **fields)
    session.add(case)
    session.flush()
    return case


def record_event(
    session: Session, *, case: Case, now: datetime, actor_id: str, action: str,
    from_status: str | None = None, to_status: str | None = None, detail: str = "",
) -> CaseEvent:
    event = CaseEvent(case_id=case.id, at=now, actor_id=actor_id, action=action,
                      from_status=from_status, to_status=to_status, detail=detail)
    session.add(event)
    return event


def touch(session: Session, *, case: Case, now: datetime) -> None:
    case.updated_at = now
    case.version += 1
    session.add(case)


def get_case(session: Session, *, case_id: int, for_update: bool = False) -> Case | None:
    """Load a case; ``for_update`` waits for any other writer of it and returns its latest state.

    PostgreSQL: ``SELECT … FOR UPDATE``. SQLite has no row locks, so a no-op write to the row takes the
    database write lock first (waiting out the busy timeout), and the read after it sees the latest commit.
    """
    stmt = select(Case).where(Case.id == case_id)
    if for_update:
        if session.get_bind().dialect.name == "sqlite":
            session.exec(update(Case).where(Case.id == case_id).values(version=Case.version))
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
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


def active_cases_of_reporter(session: Session, *, reporter_id: str, kind: str, group_id: int | None) -> Sequence[Case]:
    """The reporter's cases of a kind still being worked on, in one group (or direct chat), newest first."""
    stmt = select(Case).where(Case.reporter_id == reporter_id, Case.kind == kind, col(Case.status).in_(ACTIVE),
                              Case.group_id == group_id if group_id is not None else col(Case.group_id).is_(None))
    return session.exec(stmt.order_by(Case.id.desc())).all()


def recent_cases_in_group(
    session: Session, *, group_id: int, subtype: str, since: datetime, statuses: Sequence[str] = ACTIVE,
) -> Sequence[Case]:
    """Disputes of one subtype in one group, in the given statuses, touched since ``since``, newest first."""
    stmt = select(Case).where(Case.kind == "dispute", Case.subtype == subtype, Case.group_id == group_id,
                              Case.updated_at >= since, col(Case.status).in_(statuses))
    return session.exec(stmt.order_by(Case.updated_at.desc(), Case.id.desc())).all()


def recent_cases_in_building(
    session: Session, *, grid_id: str | None, subtype: str, building: str, since: datetime,
) -> Sequence[Case]:
    """Active disputes of one subtype in one building opened since ``since``, oldest first."""
    stmt = select(Case).where(Case.kind == "dispute", Case.subtype == subtype, Case.building == building,
                              Case.grid_id == grid_id, Case.created_at >= since, col(Case.status).in_(ACTIVE))
    return session.exec(stmt.order_by(Case.created_at, Case.id)).all()  # on ix_case_grid_kind_created


def cases_of_person(session: Session, *, person_id: str, limit: int = 50) -> Sequence[Case]:
    """Active cases a person is assigned to or mediates."""
    stmt = select(Case).where((Case.assignee_id == person_id) | (Case.mediator_id == person_id),
                              col(Case.status).in_(ACTIVE))
    return session.exec(stmt.order_by(Case.id).limit(limit)).all()


def unacknowledged_help(session: Session, *, opened_before: datetime) -> Sequence[Case]:
    """Calls for help nobody has taken in hand (no acknowledgement yet), opened before a time."""
    acked = select(CaseEvent.id).where(CaseEvent.case_id == Case.id,
                                       col(CaseEvent.action).in_(("acknowledged", "taken")))
    stmt = select(Case).where(Case.kind == "help", col(Case.status).in_(("open", "assigned")),
                              Case.created_at <= opened_before, ~acked.exists())
    return session.exec(stmt.order_by(Case.id)).all()


def last_event(session: Session, *, case_id: int, actions: Sequence[str]) -> CaseEvent | None:
    stmt = select(CaseEvent).where(CaseEvent.case_id == case_id, col(CaseEvent.action).in_(actions))
    return session.exec(stmt.order_by(CaseEvent.id.desc()).limit(1)).first()


def resolved_without_survey(session: Session, *, resolved_before: datetime) -> Sequence[Case]:
    """Disputes resolved before a time whose current resolution has no follow-up survey yet."""
    surveyed = select(Survey.id).where(Survey.case_id == Case.id, Survey.resolved_at == Case.resolved_at)
    stmt = select(Case).where(Case.kind == "dispute", Case.status == "resolved",
                              Case.resolved_at <= resolved_before, ~surveyed.exists())
    return session.exec(stmt.order_by(Case.id)).all()


def unresolved_disputes(session: Session) -> Sequence[Case]:
    return session.exec(select(Case).where(Case.kind == "dispute", Case.status.in_(ACTIVE))
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


def cases_created(session: Session, *, since: datetime, until: datetime, grid_ids: Sequence[str],
                  kind: str | None = None, limit: int) -> Page:
    """Cases of these grids opened in (since, until], by number: the first ``limit`` and how many."""
    stmt = select(Case).where(Case.created_at > since, Case.created_at <= until, col(Case.grid_id).in_(grid_ids))
    # every kind spelled out when none is given: searched per (grid, kind) in ix_case_grid_kind_created
    stmt = stmt.where(Case.kind == kind if kind is not None else col(Case.kind).in_([k.value for k in Kind]))
    return first_rows(session, stmt=stmt.order_by(Case.id), limit=limit)


def open_cases_older_than(session: Session, *, before: datetime, grid_ids: Sequence[str], limit: int) -> Page:
    """Active cases of these grids opened before ``before``, oldest first: the first ``limit`` and how many."""
    stmt = select(Case).where(col(Case.status).in_(ACTIVE), Case.created_at < before, col(Case.grid_id).in_(grid_ids))
    return first_rows(session, stmt=stmt.order_by(Case.created_at, Case.id), limit=limit)


def resolved_awaiting_followup(session: Session, *, resolved_before: datetime, grid_ids: Sequence[str],
                               limit: int) -> Page:
    """Disputes resolved (not yet closed) long enough ago that the follow-up visit (回访) is due, and that have no
    open home-visit task (those are listed as tasks): the first ``limit`` and how many."""
    task = select(VisitTask.id).where(VisitTask.case_id == Case.id, VisitTask.status == "open")
    stmt = select(Case).where(Case.kind == "dispute", Case.status == "resolved", Case.resolved_at <= resolved_before,
                              col(Case.grid_id).in_(grid_ids), ~task.exists())
    return first_rows(session, stmt=stmt.order_by(Case.resolved_at, Case.id), limit=limit)


def cases_reported_by(session: Session, *, reporter_id: str, limit: int = 10) -> Sequence[Case]:
    """A person's own reports, newest first."""
    stmt = select(Case).where(Case.reporter_id == reporter_id).order_by(Case.id.desc()).limit(limit)
    return session.exec(stmt).all()


def replied_inquiries(session: Session, *, since: datetime,
                      grid_ids: Sequence[str]) -> Sequence[tuple[Case, CaseEvent]]:
    """Officers' replies (/reply) to inquiry cases of some grids since a time, oldest first."""
    stmt = (select(Case, CaseEvent).join(CaseEvent, CaseEvent.case_id == Case.id)
            .where(Case.kind == "inquiry", col(Case.grid_id).in_(list(grid_ids)), CaseEvent.action == "replied",
                   CaseEvent.at > since)
            .order_by(CaseEvent.id))
    return session.exec(stmt).all()


def recent_help_in_group(session: Session, *, group_id: int, since: datetime) -> Sequence[Case]:
    """Active calls for help in one group opened since ``since``, newest first."""
    stmt = select(Case).where(Case.kind == "help", Case.group_id == group_id, Case.created_at >= since,
                              col(Case.status).in_(ACTIVE))
    return session.exec(stmt.order_by(Case.id.desc())).all()
