"""The case board of the console: the cases a person may see, filtered, in one column per status with counts."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from handlers import scope
from storage.models import ACTIVE_STATUSES, Case, Status

COLUMNS = tuple(Status)  # 待受理 已指派 处理中 已化解 已结案
OVERDUE_DAYS = 3  # an active case older than this is overdue (as in the daily digest)
PER_COLUMN = 50


@dataclass(frozen=True)
class BoardFilter:
    grid_id: str | None = None
    kind: str | None = None
    subtype: str | None = None
    status: str | None = None
    since: date | None = None  # opened on or after this local date
    until: date | None = None  # opened on or before this local date
    assignee_id: str | None = None
    overdue: bool = False

    @classmethod
    def from_query(cls, query: Any) -> "BoardFilter":
        """From a query string (values that do not parse are ignored, as a filter the reader did not set)."""
        def day(name: str) -> date | None:
            try:
                return date.fromisoformat(query.get(name, ""))
            except ValueError:
                return None
        text = {name: (query.get(name) or "").strip() or None
                for name in ("grid_id", "kind", "subtype", "status", "assignee_id")}
        return cls(**text, since=day("since"), until=day("until"), overdue=query.get("overdue") in ("1", "on", "true"))


@dataclass
class Board:
    columns: dict[str, list[Case]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def clauses(session: Session, *, person: Any, filters: BoardFilter, now: datetime, tz: Any) -> list[Any]:
    found = [scope.visible_clause(session, person)]
    for column, value in ((Case.grid_id, filters.grid_id), (Case.kind, filters.kind),
                          (Case.subtype, filters.subtype), (Case.assignee_id, filters.assignee_id)):
        if value:
            found.append(column == value)
    if filters.since:
        found.append(Case.created_at >= datetime.combine(filters.since, time(), tz))
    if filters.until:
        found.append(Case.created_at < datetime.combine(filters.until + timedelta(days=1), time(), tz))
    if filters.overdue:
        found += [col(Case.status).in_(ACTIVE_STATUSES), Case.created_at < now - timedelta(days=OVERDUE_DAYS)]
    return found


def board(session: Session, *, person: Any, filters: BoardFilter, now: datetime, tz: Any) -> Board:
    """Counts per status of every matching case, and the newest ``PER_COLUMN`` of each column."""
    where = clauses(session, person=person, filters=filters, now=now, tz=tz)
    counts = dict(session.exec(select(Case.status, func.count()).where(*where).group_by(Case.status)).all())
    result = Board()
    for status in COLUMNS:
        shown = filters.status in (None, status)
        result.counts[status] = counts.get(status, 0) if shown else 0
        result.columns[status] = list(session.exec(
            select(Case).where(*where, Case.status == status).order_by(Case.id.desc()).limit(PER_COLUMN)
        ).all()) if shown and counts.get(status) else []
    return result


def is_overdue(case: Case, now: datetime) -> bool:
    return case.status in ACTIVE_STATUSES and case.created_at < now - timedelta(days=OVERDUE_DAYS)
