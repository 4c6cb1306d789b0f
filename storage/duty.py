"""Queries of the duty rota (DutyShift). Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import date
from typing import Any, Sequence

from sqlalchemy import delete, insert, or_
from sqlmodel import Session, col, select

from storage.models import DutyShift

FIELDS = ("grid_id", "person_id", "weekdays", "on_date", "start_minute", "end_minute")


def shifts_for(session: Session, *, grid_id: str, days: Sequence[date]) -> Sequence[DutyShift]:
    """The shifts of a grid (or of every grid) that may cover a moment starting on one of ``days``:
    dated shifts first, then weekly ones, each in the order they were given."""
    stmt = select(DutyShift).where(or_(DutyShift.grid_id == grid_id, col(DutyShift.grid_id).is_(None)),
                                   or_(col(DutyShift.on_date).is_(None), col(DutyShift.on_date).in_(list(days))))
    return session.exec(stmt.order_by(col(DutyShift.on_date).is_(None), DutyShift.id)).all()


def configured(session: Session) -> list[tuple[Any, ...]]:
    rows = session.exec(select(DutyShift).where(DutyShift.from_config).order_by(DutyShift.id)).all()
    return [tuple(getattr(r, f) for f in FIELDS) for r in rows]


def replace(session: Session, *, shifts: Sequence[dict[str, Any]], from_config: bool) -> int:
    """Replace config's shifts (or the imported ones) by ``shifts``; returns how many were removed."""
    removed = session.execute(delete(DutyShift).where(DutyShift.from_config == from_config)).rowcount
    if shifts:
        session.execute(insert(DutyShift), [{**s, "from_config": from_config} for s in shifts])
    return removed or 0
