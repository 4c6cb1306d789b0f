"""Queries of AgendaItem: the cases on each Friday's agenda (周五工作法), and the hard disputes that make it: chosen,
flagged and ordered in SQL, so only the listed cases leave the database. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple, Sequence

from sqlalchemy import exists, false, func, or_
from sqlmodel import Session, col, select

from storage.models import ACTIVE_STATUSES, AgendaItem, Case, CaseEvent, Grid, MediationConsent


class HardDispute(NamedTuple):
    case: Case
    carried: bool  # on the previous agenda
    escalated: bool
    reopened: bool


def _event(action: str) -> Any:
    return exists().where(CaseEvent.case_id == Case.id, CaseEvent.action == action)


def _hard(*, carried_from: str | None, old_before: datetime, consent: Sequence[str],
          visible: Any) -> tuple[list[Any], Any]:
    """(the WHERE clauses, the carried-over column) of the active disputes that are hard this week."""
    carried = (col(Case.id).in_(select(AgendaItem.case_id).where(AgendaItem.week == carried_from))
               if carried_from else false())
    where = [Case.kind == "dispute", col(Case.status).in_(ACTIVE_STATUSES),
             or_(carried, _event("escalated"), _event("reopened"), col(Case.hard).is_(True),
                 Case.created_at < old_before)]
    if consent:
        parties = func.count(func.distinct(MediationConsent.party))
        where.append(col(Case.id).in_(
            select(MediationConsent.case_id).where(col(MediationConsent.party).in_(list(consent)))
            .group_by(MediationConsent.case_id).having(parties == len(consent))))
    if visible is not None:
        where.append(visible)
    return where, carried


def hard_disputes(session: Session, *, carried_from: str | None, old_before: datetime, consent: Sequence[str] = (),
                  visible: Any = None, limit: int | None = None) -> list[HardDispute]:
    """Active disputes carried over from the agenda of week ``carried_from``, escalated, reopened, marked hard or
    opened before ``old_before``; only those whose ``consent`` parties have all consented; within ``visible`` (a
    clause on Case). In suggested order: urgent, escalated, reopened, oldest; the first ``limit`` (None: all)."""
    where, carried = _hard(carried_from=carried_from, old_before=old_before, consent=consent, visible=visible)
    escalated, reopened = _event("escalated"), _event("reopened")
    stmt = (select(Case, carried, escalated, reopened).where(*where)
            .order_by(col(Case.urgent).desc(), escalated.desc(), reopened.desc(), Case.created_at, Case.id))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [HardDispute(case, bool(c), bool(e), bool(r)) for case, c, e, r in session.exec(stmt)]


def count_hard_disputes(session: Session, *, carried_from: str | None, old_before: datetime,
                        consent: Sequence[str] = (), visible: Any = None) -> int:
    where, _ = _hard(carried_from=carried_from, old_before=old_before, consent=consent, visible=visible)
    return int(session.connection().execute(select(func.count()).select_from(Case).where(*where)).scalar_one())


def concerning(person_id: str) -> Any:
    """The cases an agenda item goes to this person for: their grid's, assigned to them, or mediated by them."""
    return or_(col(Case.grid_id).in_(select(Grid.id).where(Grid.officer_id == person_id)),
               Case.assignee_id == person_id, Case.mediator_id == person_id)


def latest_agenda_week(session: Session, *, before: str) -> str | None:
    """The most recent stored agenda week strictly before ``before`` (ISO dates sort as text)."""
    return session.exec(select(func.max(AgendaItem.week)).where(AgendaItem.week < before)).one()


def agenda_items(session: Session, *, week: str) -> Sequence[AgendaItem]:
    return session.exec(select(AgendaItem).where(AgendaItem.week == week).order_by(AgendaItem.position)).all()


def save_agenda(session: Session, *, week: str, items: Sequence[tuple[int, str]], now: datetime) -> None:
    """Store one Friday's agenda: (case id, reasons) in suggested order."""
    for position, (case_id, reasons) in enumerate(items, start=1):
        session.add(AgendaItem(week=week, case_id=case_id, position=position, reasons=reasons, created_at=now))
