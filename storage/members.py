"""Queries of GridMember: which grids a member of staff serves. Keyword-only, session first, never commit."""
from __future__ import annotations

from typing import Sequence

from sqlmodel import Session, select

from storage.models import GridMember


def grids_of(session: Session, *, person_id: str) -> frozenset[str]:
    rows = session.exec(select(GridMember.grid_id).where(GridMember.person_id == person_id)).all()
    return frozenset(rows)


def members_of(session: Session, *, grid_id: str, duty: str | None = None) -> Sequence[GridMember]:
    stmt = select(GridMember).where(GridMember.grid_id == grid_id)
    if duty is not None:
        stmt = stmt.where(GridMember.duty == duty)
    return session.exec(stmt.order_by(GridMember.person_id)).all()
