"""Read-only queries behind the exports and the alert feed: light rows, streamed in batches so a month of a whole
city never sits in memory as ORM objects; and the period filter that /stats and the reports page aggregate over
(storage/figures.py). Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterator, Sequence

from sqlalchemy import func, select
from sqlmodel import Session, col

from storage.models import Broadcast, BroadcastDelivery, Case, CaseEvent, ChatGroup, Kind, Outbox

CASE_COLUMNS = (Case.id, Case.kind, Case.subtype, Case.scam_type, Case.status, Case.grid_id, Case.assignee_id,
                Case.mediator_id, Case.reporter_id, Case.text, Case.outcome, Case.satisfaction, Case.level,
                Case.urgent, Case.hard, Case.created_at, Case.resolved_at, Case.closed_at, Case.updated_at)
BATCH = 2000


def _window(stmt: Any, column: Any, since: datetime | None, until: datetime | None) -> Any:
    if since is not None:
        stmt = stmt.where(column >= since)
    if until is not None:
        stmt = stmt.where(column < until)
    return stmt


def case_filter(*, since: datetime | None, until: datetime | None, grid_ids: Sequence[str] | None,
                kind: str | None = None, scope: Any = None) -> list[Any]:
    """WHERE clauses for cases opened in [since, until), in these grids (None: all), of a kind, in a scope."""
    clauses = []
    if since is not None:
        clauses.append(Case.created_at >= since)
    if until is not None:
        clauses.append(Case.created_at < until)
    if grid_ids is not None:
        clauses.append(col(Case.grid_id).in_(list(grid_ids)))
    # every kind spelled out when none is given: the period is then searched per kind (ix_case_kind_created)
    clauses.append(Case.kind == kind if kind is not None else col(Case.kind).in_([k.value for k in Kind]))
    if scope is not None:
        clauses.append(scope)
    return clauses


def iter_cases(session: Session, *, where: Sequence[Any]) -> Iterator[Any]:
    """Light case rows (named tuples of CASE_COLUMNS), oldest first, fetched in batches."""
    stmt = select(*CASE_COLUMNS).where(*where).order_by(Case.created_at, Case.id).execution_options(yield_per=BATCH)
    yield from session.connection().execute(stmt)


def first_events(session: Session, *, where: Sequence[Any], actions: Sequence[str],
                 exclude_actors: Sequence[str] = ()) -> dict[int, datetime]:
    """{case id: the time of its first event among ``actions``} for the cases matching ``where``."""
    stmt = (select(CaseEvent.case_id, func.min(CaseEvent.at)).join(Case, Case.id == CaseEvent.case_id)
            .where(*where, col(CaseEvent.action).in_(list(actions))).group_by(CaseEvent.case_id))
    if exclude_actors:
        stmt = stmt.where(col(CaseEvent.actor_id).not_in(list(exclude_actors)))
    return {case_id: _aware(at) for case_id, at in session.connection().execute(stmt)}


def event_counts(session: Session, *, where: Sequence[Any], actions: Sequence[str]) -> dict[int, int]:
    stmt = (select(CaseEvent.case_id, func.count()).join(Case, Case.id == CaseEvent.case_id)
            .where(*where, col(CaseEvent.action).in_(list(actions))).group_by(CaseEvent.case_id))
    return dict(session.connection().execute(stmt).all())


def iter_deliveries(session: Session, *, since: datetime | None, until: datetime | None,
                    grid_ids: Sequence[str] | None) -> Iterator[Any]:
    """One row per broadcast copy: the broadcast, its group and the outbox row's state, oldest first."""
    stmt = (select(Broadcast.id, Broadcast.actor_id, Broadcast.confirmed_by, Broadcast.text, Broadcast.targets,
                   Broadcast.created_at, Broadcast.confirmed_at, ChatGroup.name, ChatGroup.chat_id, ChatGroup.grid_id,
                   Outbox.status, Outbox.attempts, Outbox.last_error, Outbox.sent_at, Outbox.id.label("outbox_id"))
            .join(BroadcastDelivery, BroadcastDelivery.broadcast_id == Broadcast.id)
            .join(ChatGroup, ChatGroup.id == BroadcastDelivery.group_id)
            .join(Outbox, Outbox.id == BroadcastDelivery.outbox_id, isouter=True))
    stmt = _window(stmt, Broadcast.created_at, since, until)
    if grid_ids is not None:
        stmt = stmt.where(col(ChatGroup.grid_id).in_(list(grid_ids)))
    stmt = stmt.order_by(Broadcast.id, ChatGroup.id).execution_options(yield_per=BATCH)
    yield from session.connection().execute(stmt)


def _aware(at: datetime) -> datetime:
    from datetime import timezone

    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def names(session: Session, *, ids: Sequence[str]) -> dict[str, str]:
    """{person id: name} for these ids (in chunks, so a city's staff is a handful of queries)."""
    from storage.models import Person

    ids = sorted(set(i for i in ids if i))
    found: dict[str, str] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        found.update(session.connection().execute(select(Person.id, Person.name).where(col(Person.id).in_(chunk))).all())
    return found


def grid_names(session: Session) -> dict[str, str]:
    from storage.models import Grid

    return dict(session.connection().execute(select(Grid.id, Grid.name)).all())


def reporter_names(session: Session, *, where: Sequence[Any]) -> dict[int, str]:
    """{case id: its reporter's name} for the matching cases."""
    from storage.models import Person

    stmt = select(Case.id, Person.name).join(Person, Person.id == Case.reporter_id).where(*where)
    return dict(session.connection().execute(stmt).all())


def latest_surveys(session: Session, *, where: Sequence[Any]) -> dict[int, tuple[datetime, datetime | None, str | None]]:
    """{case id: (asked at, answered at, satisfaction)} of each matching case's latest follow-up survey."""
    from storage.models import Survey

    stmt = (select(Survey.case_id, Survey.asked_at, Survey.answered_at, Survey.satisfaction)
            .join(Case, Case.id == Survey.case_id).where(*where).order_by(Survey.id))
    return {case_id: (asked, answered, value) for case_id, asked, answered, value in session.connection().execute(stmt)}
