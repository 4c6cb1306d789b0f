"""走访台账: every face-to-face visit to a household (anti-fraud outreach, 走访入户) with what was found;
addresses only down to the unit, findings masked (handlers/households/ledger.py)."""
from __future__ import annotations

from typing import Iterator

from sqlmodel import Session

from handlers.exports import Column, ExportKind, Request
from handlers.households.ledger import VISIT_COLUMNS, visit_rows

WIDTHS = {"序号": 6, "走访日期": 12, "网格": 14, "户编号": 10, "地址": 24, "走访人": 8, "走访事由": 14, "走访情况": 40,
          "跟进事项": 30}
COLUMNS = tuple(Column(header, WIDTHS.get(header, 8)) for header in VISIT_COLUMNS)


def rows(session: Session, request: Request) -> Iterator[tuple]:
    for grid_id in [None] if request.grid_ids is None else request.grid_ids:
        for row in visit_rows(session, tz=request.tz, since=request.since, until=request.until, grid_id=grid_id):
            yield tuple(row[header] for header in VISIT_COLUMNS)


KIND = ExportKind("visits", "走访台账", COLUMNS, rows)
