"""The case figures as SQL aggregates (GROUP BY, SUM(CASE …), window functions for medians): each query returns a
row per group (a kind, a grid, a week, a status), never a row per case, so /stats and the reports page fetch the
same few rows for a month of one community as for a month of a city. Keyword-only, session first, never commit.
``where`` is a list of clauses on Case (storage/reports.case_filter)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import Integer, and_, case, cast, exists, func, literal, select
from sqlmodel import Session, col

from storage.models import Case, CaseEvent, Correction, Message

Counts = tuple[int, int, int, int, int]  # total, done, reopened, answered, happy


def _flag(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _grouped(stmt: Any, by: Any | None) -> tuple[Any, Any]:
    return (stmt.add_columns(by).group_by(by), by) if by is not None else (stmt, None)


def _rows(session: Session, stmt: Any, by: Any | None) -> dict[Any, tuple]:
    """{group key (None without a ``by``): the other columns}, the key being the last column."""
    rows = session.connection().execute(stmt).all()
    return {(row[-1] if by is not None else None): tuple(row[:-1] if by is not None else row) for row in rows}


def counts(session: Session, *, where: Sequence[Any], by: Any | None, done: Sequence[str],
           happy: Sequence[str]) -> dict[Any, Counts]:
    """{group: (cases, done, ever reopened, satisfaction answered, happy)}; one group (key None) without ``by``."""
    reopened = exists().where(CaseEvent.case_id == Case.id, CaseEvent.action == "reopened")
    answered = and_(col(Case.satisfaction).is_not(None), Case.satisfaction != "")
    stmt = select(func.count(), _flag(col(Case.status).in_(list(done))), _flag(reopened), _flag(answered),
                  _flag(col(Case.satisfaction).in_(list(happy)))).select_from(Case).where(*where)
    stmt, by = _grouped(stmt, by)
    return {key: tuple(int(v) for v in row) for key, row in _rows(session, stmt, by).items()}


def hours_between(session: Session, later: Any, earlier: Any) -> Any:
    """``later - earlier`` in hours, as a SQL float, to the microsecond as Python's timedelta. SQLite keeps a
    datetime as text 'YYYY-MM-DD HH:MM:SS.ffffff' (SQLAlchemy's format); its date functions round to milliseconds,
    so the whole seconds come from strftime('%s') and the microseconds from the text."""
    if session.get_bind().dialect.name != "sqlite":
        return func.extract("epoch", later - earlier) / 3600.0

    def seconds(at: Any) -> Any:
        return cast(func.strftime("%s", at), Integer), cast(func.substr(at, 21, 6), Integer)
    (whole_later, micro_later), (whole_earlier, micro_earlier) = seconds(later), seconds(earlier)
    return ((whole_later - whole_earlier) + (micro_later - micro_earlier) / 1e6) / 3600.0


def first_response_hours(session: Session, *, actions: Sequence[str], exclude_actors: Sequence[str]) -> Any:
    """Hours from a case's opening to its first event among ``actions`` by a person (never below 0; NULL: none)."""
    first = (select(func.min(CaseEvent.at)).where(CaseEvent.case_id == Case.id, col(CaseEvent.action).in_(list(actions)),
                                                  col(CaseEvent.actor_id).not_in(list(exclude_actors)))
             .scalar_subquery())
    span = hours_between(session, first, Case.created_at)
    return case((span < 0, 0.0), else_=span)


def resolution_hours(session: Session, *, done: Sequence[str]) -> Any:
    """Hours from a done case's opening to its latest resolution (or its closing); NULL while not done."""
    done_at = func.coalesce(Case.resolved_at, Case.closed_at)
    return case((col(Case.status).in_(list(done)), hours_between(session, done_at, Case.created_at)), else_=None)


def medians(session: Session, *, where: Sequence[Any], value: Any, by: Any | None) -> dict[Any, float]:
    """{group: the median of ``value`` over the matching cases where it is not NULL} (the mean of the two middle
    values of an even count, as statistics.median): two rows per group at most leave the database."""
    key = by if by is not None else literal(0)
    inner = select(key.label("k"), value.label("v")).where(*where).subquery()
    ranked = select(inner.c.k, inner.c.v,
                    func.row_number().over(partition_by=inner.c.k, order_by=inner.c.v).label("n"),
                    func.count().over(partition_by=inner.c.k).label("of")).where(inner.c.v.is_not(None)).subquery()
    middle = (select(func.avg(ranked.c.v), ranked.c.k)
              .where(ranked.c.n * 2 >= ranked.c.of, ranked.c.n * 2 <= ranked.c.of + 2).group_by(ranked.c.k))
    return {(k if by is not None else None): float(v) for v, k in session.connection().execute(middle)}


def week_counts(session: Session, *, where: Sequence[Any], weeks: Sequence[tuple[str, datetime]]) -> dict[str, dict[str, int]]:
    """{kind: {week label: cases opened}}; ``weeks`` are (label, the start of the next week), in order."""
    label = case(*[(Case.created_at < until, name) for name, until in weeks[:-1]], else_=weeks[-1][0]) \
        if len(weeks) > 1 else literal(weeks[0][0])
    label = label.label("week")
    stmt = select(Case.kind, label, func.count()).where(*where).group_by(Case.kind, label)
    found: dict[str, dict[str, int]] = {}
    for kind, week, n in session.connection().execute(stmt):
        found.setdefault(kind, {})[week] = int(n)
    return found


def status_counts(session: Session, *, where: Sequence[Any]) -> dict[str, dict[str, int]]:
    """{kind: {status: cases}}."""
    found: dict[str, dict[str, int]] = {}
    stmt = select(Case.kind, Case.status, func.count()).where(*where).group_by(Case.kind, Case.status)
    for kind, status, n in session.connection().execute(stmt):
        found.setdefault(kind, {})[status] = int(n)
    return found


def misreadings(session: Session, *, where: Sequence[Any], false_alarm: str) -> dict[str, tuple[int, int, int]]:
    """Per kind the bot opened cases as (a message opened or joined them; before any officer's correction):
    (opened, closed as ``false_alarm``, re-routed to another kind)."""
    first = (select(Correction.original_intent).where(Correction.case_id == Case.id)
             .order_by(Correction.id).limit(1).scalar_subquery())  # the case's own corrections, by their index
    read_as = func.coalesce(first, Case.kind).label("read_as")
    is_false = and_(Case.status == "closed", Case.outcome == false_alarm)
    rerouted = case((is_false, 0), (Case.kind != read_as, 1), else_=0)
    from_message = exists().where(Message.case_id == Case.id)
    stmt = (select(read_as, func.count(), _flag(is_false), func.coalesce(func.sum(rerouted), 0))
            .select_from(Case).where(*where, from_message).group_by(read_as))
    return {kind: (int(n), int(f), int(r)) for kind, n, f, r in session.connection().execute(stmt)}

