"""The case figures as SQL aggregates (GROUP BY, SUM(CASE …), window functions for medians): each query returns a
row per group (a kind, a grid, a week, a status), never a row per case, so /stats and the reports page fetch the
same few rows for a month of one community as for a month of a city. Keyword-only, session first, never commit.
``where`` is a list of clauses on Case (storage/reports.case_filter)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import Integer, and_, case, cast, exists, func, literal, literal_column, select, union_all
from sqlmodel import Session, col

from storage.models import Case, CaseEvent, Correction, Message

Counts = tuple[int, ...]  # cases, done, reopened, answered, happy


def _flag(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def counts(session: Session, *, where: Sequence[Any], done: Sequence[str],
           happy: Sequence[str]) -> dict[tuple[str, str | None], Counts]:
    """{(kind, grid id): (cases, done, ever reopened, satisfaction answered, happy)}: a row per kind and grid."""
    reopened = exists().where(CaseEvent.case_id == Case.id, CaseEvent.action == "reopened")
    answered = and_(col(Case.satisfaction).is_not(None), Case.satisfaction != "")
    stmt = (select(Case.kind, Case.grid_id, func.count(), _flag(col(Case.status).in_(list(done))), _flag(reopened),
                   _flag(answered), _flag(col(Case.satisfaction).in_(list(happy))))
            .where(*where).group_by(Case.kind, Case.grid_id))
    return {(kind, grid): tuple(int(v) for v in row) for kind, grid, *row in session.connection().execute(stmt)}


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


def response_spans(session: Session, *, where: Sequence[Any], actions: Sequence[str],
                   exclude_actors: Sequence[str]) -> Any:
    """(kind, grid_id, v) of the matching cases a person responded to: v the hours from the opening to the first
    event among ``actions`` not by ``exclude_actors`` (never below 0). The first events come from one GROUP BY over
    the period's events, so each case's is found once."""
    firsts = (select(CaseEvent.case_id, func.min(CaseEvent.at).label("at")).join(Case, Case.id == CaseEvent.case_id)
              .where(*where, col(CaseEvent.action).in_(list(actions)),
                     col(CaseEvent.actor_id).not_in(list(exclude_actors)))
              .group_by(CaseEvent.case_id).subquery())
    span = hours_between(session, firsts.c.at, Case.created_at)
    return (select(Case.kind, Case.grid_id, case((span < 0, 0.0), else_=span).label("v"))
            .join(firsts, firsts.c.case_id == Case.id).where(*where))


def resolution_spans(session: Session, *, where: Sequence[Any], done: Sequence[str]) -> Any:
    """(kind, grid_id, v) of the matching done cases: v the hours from the opening to the latest resolution (or
    the closing)."""
    done_at = func.coalesce(Case.resolved_at, Case.closed_at)
    return (select(Case.kind, Case.grid_id, hours_between(session, done_at, Case.created_at).label("v"))
            .where(*where, col(Case.status).in_(list(done)), done_at.is_not(None)))


def medians(session: Session, *, spans: Any, dims: Sequence[str]) -> dict[str | None, dict[Any, float]]:
    """{None: {None: the median of v over all of ``spans``}, dim: {value: the median of v}} for each column in
    ``dims`` (the mean of the two middle values of an even count, as statistics.median). ``spans`` is computed once
    (a CTE used by every grouping); two rows per group at most leave the database."""
    spans = spans.cte("spans")
    parts = []
    for dim in (None, *dims):
        key = spans.c[dim] if dim else literal_column("''")
        window = {"partition_by": key} if dim else {}
        ranked = select(key.label("k"), spans.c.v, func.row_number().over(order_by=spans.c.v, **window).label("n"),
                        func.count().over(**window).label("of")).subquery()
        parts.append(select(literal_column(f"'{dim or ''}'").label("dim"), ranked.c.k, func.avg(ranked.c.v))
                     .where(ranked.c.n * 2 >= ranked.c.of, ranked.c.n * 2 <= ranked.c.of + 2).group_by(ranked.c.k))
    found: dict[str | None, dict[Any, float]] = {None: {}, **{dim: {} for dim in dims}}
    for dim, key, value in session.connection().execute(union_all(*parts)):
        found[dim or None][key if dim else None] = float(value)
    return found


def week_counts(session: Session, *, where: Sequence[Any],
                weeks: Sequence[tuple[str, datetime]]) -> dict[str, dict[str, int]]:
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

