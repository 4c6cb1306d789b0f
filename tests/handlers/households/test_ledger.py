"""The home-visits ledger (走访台账) rows, with Chinese column names, for the export kind ``visits``: what the
ledger needs and nothing more (no phones, no residents' names, addresses down to the unit)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.keys import CONFIG, ENGINE
from handlers.households.ledger import GRID_DAY_COLUMNS, VISIT_COLUMNS, grid_day_rows, visit_rows
from handlers.privacy import mask_address
from storage.db import session as new_session
from tests.bot.scheduling.test_scheduler_support import SHANGHAI

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("address, masked", [
    ("1栋1单元101", "1栋1单元***"), ("幸福里8幢302室", "幸福里8幢***"), ("沿街商铺12号", "沿街商铺**号"),
    ("3号楼1504", "3号楼***"), ("社区服务中心", "社区服务中心"),
])
def test_addresses_down_to_the_unit(address, masked):
    assert mask_address(address) == masked


async def test_the_ledger_rows_and_the_weekly_grid_days(roster, clock):
    start = clock.now()
    await roster.talk("worker-1", "worker-1", "/visit g1-0101 反诈宣传 已装APP 子女电话13812345678已登记 跟进：下周复查",
                      direct=True)
    clock.advance(days=1)
    await roster.talk("officer-1", "officer-1", "/visit g1-0302 走访入户 老人腿脚不便", direct=True)
    clock.advance(days=1)
    await roster.talk("officer-1", "officer-1", "/visit g1-0501 反诈宣传 未装APP", direct=True)
    await roster.talk("officer-1", "officer-1", "/visit g1-0602 反诈宣传", direct=True)  # the same day counts once
    with new_session(roster.app[ENGINE]) as s:
        rows = list(visit_rows(s, tz=SHANGHAI))
        only_grid_2 = list(visit_rows(s, tz=SHANGHAI, grid_id="grid-2"))
        later = list(visit_rows(s, tz=SHANGHAI, since=start + timedelta(hours=12)))
        days = list(grid_day_rows(s, tz=SHANGHAI, since=start, until=start + timedelta(days=6),
                                  target=roster.app[CONFIG].households.visit_days_per_week))
    assert all(tuple(row) == VISIT_COLUMNS for row in rows) and len(rows) == 4 and only_grid_2 == [] and len(later) == 3
    assert rows[0] == {"序号": "1", "走访日期": "2026-11-02", "网格": "第一网格（1-6栋）", "户编号": "g1-0101",
                       "地址": "1栋1单元***", "走访人": "周网格员", "走访事由": "反诈宣传", "反诈APP": "是",
                       "走访情况": "子女电话138****5678已登记", "需跟进": "是", "跟进事项": "下周复查"}
    assert [r["反诈APP"] for r in rows] == ["是", "", "否", ""] and rows[1]["需跟进"] == "否"
    assert all("王秀英" not in v and "13900000101" not in v for row in rows for v in row.values())
    assert all(tuple(row) == GRID_DAY_COLUMNS for row in days)
    by_officer = {row["民警"]: row for row in days}
    assert by_officer["张警官"] == {"周次": "2026-11-02至11-08", "民警": "张警官", "网格": "第一网格（1-6栋）",
                                  "入户走访天数": "2", "目标天数": "1", "是否达标": "达标"}
    assert by_officer["李警官"]["入户走访天数"] == "0" and by_officer["李警官"]["是否达标"] == "未达标"


async def test_the_grid_days_export_without_a_period_spans_the_recorded_weeks(roster, clock):
    """`gridbot export visit-days` with no --from/--to: from the first visit's week to the last's, every grid."""
    from handlers.exports import Request
    from handlers.exports.registry import KINDS

    kind = KINDS["visit-days"]
    with new_session(roster.app[ENGINE]) as s:
        assert list(kind.rows(s, Request(None, None, None, SHANGHAI))) == [], "no visits, no weeks"
    await roster.talk("officer-1", "officer-1", "/visit g1-0101 反诈宣传 已装APP", direct=True)
    clock.advance(days=7)
    await roster.talk("officer-1", "officer-1", "/visit g1-0302 走访入户", direct=True)
    with new_session(roster.app[ENGINE]) as s:
        rows = list(kind.rows(s, Request(None, None, None, SHANGHAI, visit_days_per_week=2)))
        mine = list(kind.rows(s, Request(None, None, ["grid-1"], SHANGHAI, visit_days_per_week=2)))
    assert [c.header for c in kind.columns] == list(GRID_DAY_COLUMNS)
    assert len(rows) == 6 and {r[0] for r in rows} == {"2026-11-02至11-08", "2026-11-09至11-15"}
    assert mine == [("2026-11-02至11-08", "张警官", "第一网格（1-6栋）", "1", "2", "未达标"),
                    ("2026-11-09至11-15", "张警官", "第一网格（1-6栋）", "1", "2", "未达标")]
