"""反诈预警记录: every fraud report of the period, its scam type and how fast an officer responded."""
from __future__ import annotations

from typing import Iterator

from sqlmodel import Session

from handlers import reports as figures
from handlers import texts
from handlers.exports import Column, ExportKind, Request, local
from handlers.privacy import mask_name, mask_personal
from storage import reports

COLUMNS = (
    Column("编号", 6), Column("登记时间", 16), Column("网格", 14), Column("诈骗类型", 16), Column("反映人", 8),
    Column("原话", 40), Column("首次响应时间", 16), Column("响应用时（分钟）", 10), Column("状态", 8),
    Column("处理结果", 24),
)


def rows(session: Session, request: Request) -> Iterator[tuple]:
    where = reports.case_filter(since=request.since, until=request.until, grid_ids=request.grid_ids, kind="fraud",
                                scope=request.scope)
    grids = reports.grid_names(session)
    reporters = reports.reporter_names(session, where=where)
    first = reports.first_events(session, where=where, actions=figures.RESPONSE_ACTIONS,
                                 exclude_actors=figures.SYSTEM_ACTORS)
    tz = request.tz
    for r in reports.iter_cases(session, where=where):
        answered = first.get(r.id)
        minutes = round((answered - r.created_at).total_seconds() / 60) if answered else ""
        yield (r.id, local(r.created_at, tz), grids.get(r.grid_id, texts.UNGRIDDED),
               texts.SCAM_TYPE_NAMES.get(r.scam_type or "other", ""), mask_name(reporters.get(r.id, "")),
               mask_personal(r.text)[:200], local(answered, tz), minutes, texts.STATUS_NAMES[r.status],
               mask_personal(r.outcome or ""))


KIND = ExportKind("fraud-alerts", "反诈预警记录", COLUMNS, rows)
