"""广播记录: every group's copy of every broadcast of the period, with its delivery state."""
from __future__ import annotations

from typing import Iterator

from sqlmodel import Session

from handlers import texts
from handlers.exports import Column, ExportKind, Request, local
from handlers.privacy import mask_personal
from storage import reports

COLUMNS = (
    Column("广播编号", 8), Column("发起人", 10), Column("确认人", 10), Column("内容", 40), Column("目标", 14),
    Column("群", 20), Column("网格", 14), Column("送达状态", 8), Column("尝试次数", 8), Column("失败原因", 24),
    Column("创建时间", 16), Column("送达时间", 16),
)


def rows(session: Session, request: Request) -> Iterator[tuple]:
    grids = reports.grid_names(session)
    people: dict[str, str] = {}
    tz = request.tz
    for r in reports.iter_deliveries(session, since=request.since, until=request.until, grid_ids=request.grid_ids):
        missing = [i for i in (r.actor_id, r.confirmed_by) if i and i not in people]
        if missing:
            people.update(reports.names(session, ids=missing))
        targets = texts.ALL_GRIDS_NAME if "all" in r.targets else "、".join(r.targets)
        yield (r.id, people.get(r.actor_id, r.actor_id), people.get(r.confirmed_by or "", ""),
               mask_personal(r.text), targets, r.name or r.chat_id, grids.get(r.grid_id, ""),
               texts.DELIVERY_NAMES.get(r.status or "pending", ""), r.attempts or 0, r.last_error or "",
               local(r.created_at, tz), local(r.sent_at, tz))


KIND = ExportKind("broadcasts", "广播记录", COLUMNS, rows)
