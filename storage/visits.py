"""Queries of VisitTask: home visits for grid workers. Keyword-only, session first, never commit."""
from __future__ import annotations

from typing import Sequence

from sqlmodel import Session, select

from storage.listing import Page, first_rows
from storage.models import Case, VisitTask


def open_visit_tasks(session: Session, *, grid_ids: Sequence[str], limit: int) -> Page:
    """Cases of these grids with an open home-visit task (the resident did not answer the 回访 survey), oldest
    task first: the first ``limit`` and how many."""
    stmt = (select(Case).join(VisitTask, VisitTask.case_id == Case.id)
            .where(VisitTask.status == "open", Case.grid_id.in_(grid_ids)).order_by(VisitTask.created_at, VisitTask.id))
    return first_rows(session, stmt=stmt, limit=limit)
