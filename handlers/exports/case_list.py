"""案件清单: every case of the period, all kinds."""
from __future__ import annotations

from typing import Iterator

from sqlmodel import Session

from handlers import texts
from handlers.exports import Column, ExportKind, Request, batched, local
from handlers.privacy import mask_name, mask_personal
from storage import reports

COLUMNS = (
    Column("编号", 6), Column("类型", 16), Column("状态", 8), Column("网格", 14), Column("层级", 6),
    Column("负责人", 10), Column("调解员", 10), Column("反映人", 8), Column("内容", 40), Column("处理结果", 24),
    Column("满意度", 8), Column("登记时间", 16), Column("化解时间", 16), Column("结案时间", 16),
)


def rows(session: Session, request: Request) -> Iterator[tuple]:
    where = reports.case_filter(since=request.since, until=request.until, grid_ids=request.grid_ids,
                                scope=request.scope)
    grids = reports.grid_names(session)
    reporters = reports.reporter_names(session, where=where)
    tz = request.tz
    for batch in batched(reports.iter_cases(session, where=where)):
        staff = reports.names(session, ids=[i for r in batch for i in (r.assignee_id, r.mediator_id)])
        yield from (_row(r, grids, staff, reporters, tz) for r in batch)


def _row(r, grids: dict, staff: dict, reporters: dict, tz) -> tuple:  # noqa: ANN001
    return (r.id, texts.type_label(r.kind, r.subtype, r.scam_type), texts.STATUS_NAMES[r.status],
            grids.get(r.grid_id, texts.UNGRIDDED), texts.LEVEL_NAMES.get(r.level, ""),
            staff.get(r.assignee_id, ""), staff.get(r.mediator_id, ""), mask_name(reporters.get(r.id, "")),
            mask_personal(r.text)[:200], mask_personal(r.outcome or ""),
            texts.SATISFACTION_NAMES.get(r.satisfaction or "", ""), local(r.created_at, tz),
            local(r.resolved_at, tz), local(r.closed_at, tz))


KIND = ExportKind("cases", "案件清单", COLUMNS, rows)
