"""涉诈线索: every scam indicator seen (phones, links, QR codes, apps, accounts) for the anti-fraud centre
(96110) — first and last seen, the groups, how often it was reported, a masked sample."""
from __future__ import annotations

from typing import Iterator

from sqlmodel import Session

from handlers import texts
from handlers.exports import Column, ExportKind, Request, local
from storage import indicators

COLUMNS = tuple(Column(header, width) for header, width in zip(
    texts.EXPORT_INDICATOR_HEADERS, (6, 28, 16, 16, 8, 30, 8, 8, 40)))


def rows(session: Session, request: Request) -> Iterator[tuple]:
    grid_ids = [None] if request.grid_ids is None else request.grid_ids  # []: nothing (no grid of theirs)
    seen: set[int] = set()
    for grid_id in grid_ids:
        for ind, groups, count in indicators.indicators_for_export(session, since=request.since, until=request.until,
                                                                  grid_id=grid_id):
            if ind.id in seen:
                continue
            seen.add(ind.id)
            yield (texts.INDICATOR_KIND_NAMES.get(ind.kind, ind.kind), ind.value, local(ind.first_seen_at, request.tz),
                   local(ind.last_seen_at, request.tz), len(groups), "、".join(groups), count, ind.case_id or "",
                   ind.sample_text)


KIND = ExportKind("fraud-indicators", "涉诈线索", COLUMNS, rows)
