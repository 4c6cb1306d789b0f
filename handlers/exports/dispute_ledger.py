"""矛盾纠纷排查化解台账: 排查登记 → 分流移交 → 组织化解 → 事后回访, one row per dispute, as community police
offices keep it and hand it in monthly."""
from __future__ import annotations

from typing import Iterator

from sqlmodel import Session

from handlers import texts
from handlers.exports import Column, ExportKind, Request, batched, day
from handlers.privacy import mask_name, mask_personal
from storage import papers, reports

COLUMNS = (
    Column("编号", 6), Column("登记日期", 11), Column("网格", 14), Column("当事人", 10), Column("纠纷类型", 10),
    Column("简要情况", 40), Column("分流/调解人", 14), Column("化解结果", 24), Column("化解日期", 11),
    Column("回访日期", 11), Column("回访结果/满意度", 14), Column("调解文书", 24),
)


def rows(session: Session, request: Request) -> Iterator[tuple]:
    where = reports.case_filter(since=request.since, until=request.until, grid_ids=request.grid_ids, kind="dispute",
                                scope=request.scope)
    grids = reports.grid_names(session)
    reporters = reports.reporter_names(session, where=where)
    visits = reports.latest_surveys(session, where=where)
    for batch in batched(reports.iter_cases(session, where=where)):
        yield from _rows(session, request, batch, grids, reporters, visits)


def _rows(session: Session, request: Request, batch: list, grids: dict, reporters: dict, visits: dict) -> Iterator[tuple]:
    staff = reports.names(session, ids=[i for r in batch for i in (r.mediator_id, r.assignee_id)])
    docs = papers.document_names(session, case_ids=[r.id for r in batch])
    tz = request.tz
    for r in batch:
        visit = visits.get(r.id)
        handlers = "/".join(dict.fromkeys(staff[i] for i in (r.assignee_id, r.mediator_id) if i in staff))
        done_at = r.resolved_at or r.closed_at
        satisfaction = texts.SATISFACTION_NAMES.get(r.satisfaction or "", "")
        visit_result = satisfaction or (texts.LEDGER_VISIT_PENDING if visit and not visit[1] else "")
        yield (r.id, day(r.created_at, tz), grids.get(r.grid_id, texts.UNGRIDDED), mask_name(reporters.get(r.id, "")),
               texts.SUBTYPE_NAMES.get(r.subtype or "other", ""), mask_personal(r.text)[:200], handlers,
               mask_personal(r.outcome or "") or texts.STATUS_NAMES[r.status],
               day(done_at, tz) if r.status in ("resolved", "closed") else "",
               day(visit[1] or visit[0], tz) if visit else "", visit_result, "、".join(docs.get(r.id, [])))


KIND = ExportKind("dispute-ledger", "矛盾纠纷排查化解台账", COLUMNS, rows)
