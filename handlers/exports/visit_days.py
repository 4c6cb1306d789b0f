"""入户走访天数: each grid officer's days of home visits (走访入户) per week, Monday to Sunday, against the weekly
target `[households] visit_days_per_week` (handlers/households/ledger.py). Without a period: from the first
recorded visit's week to the last's."""
from __future__ import annotations

from datetime import timedelta
from typing import Iterator

from sqlmodel import Session

from handlers.exports import Column, ExportKind, Request
from handlers.households.ledger import GRID_DAY_COLUMNS, grid_day_rows
from storage import outreach

WIDTHS = {"周次": 22, "民警": 10, "网格": 16, "入户走访天数": 14, "目标天数": 10, "是否达标": 10}
COLUMNS = tuple(Column(header, WIDTHS.get(header, 10)) for header in GRID_DAY_COLUMNS)


def rows(session: Session, request: Request) -> Iterator[tuple]:
    since, until = request.since, request.until
    if since is None or until is None:
        visits = outreach.visits_between(session, since=since, until=until)
        if not visits:
            return
        since = since or visits[0].visited_at
        until = until or visits[-1].visited_at + timedelta(seconds=1)
    for grid_id in [None] if request.grid_ids is None else request.grid_ids:
        for row in grid_day_rows(session, tz=request.tz, since=since, until=until,
                                 target=request.visit_days_per_week, grid_id=grid_id):
            yield tuple(row[header] for header in GRID_DAY_COLUMNS)


KIND = ExportKind("visit-days", "入户走访天数", COLUMNS, rows)
