"""A listing's first rows and how many there are in all: LIMIT for the rows, COUNT(*) only when the page is full,
so a list shown in a message costs the same however many rows match. Keyword-only, session first, never commit."""
from __future__ import annotations

from typing import Any, NamedTuple, Sequence

from sqlalchemy import func, select
from sqlmodel import Session


class Page(NamedTuple):
    rows: Sequence[Any]
    total: int


def first_rows(session: Session, *, stmt: Any, limit: int) -> Page:
    """The first ``limit`` rows of the ORM ``stmt`` (ordered), and the count of all the rows it matches."""
    rows = session.exec(stmt.limit(limit)).all()
    if len(rows) < limit:
        return Page(rows, len(rows))
    total = session.connection().execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    return Page(rows, int(total))
