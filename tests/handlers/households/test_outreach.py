"""Face-to-face anti-fraud outreach: /visit records a household's visit, /stats shows coverage per grid and for the
station matching the visits recorded, /unvisited lists the rest for the grid worker, only inside their grids."""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot.keys import ENGINE
from handlers.households.outreach import Visit, parse_visit
from storage.db import session as new_session
from storage.models import HomeVisit

pytestmark = pytest.mark.postgres


async def say(bot, who: str, text: str) -> list[str]:  # noqa: ANN001
    return [m["text"] for m in await bot.talk(who, who, text, direct=True)]


async def test_a_visit_is_recorded_with_the_app_and_the_grid_coverage(roster):
    [answer] = await say(roster, "worker-1", "/visit g1-0101 反诈宣传 已装APP 讲解了刷单和冒充公检法诈骗 跟进：下周教会远程协助")
    assert answer == ("已记入走访台账：户g1-0101（1栋1单元101）反诈宣传，已装反诈APP。\n"
                      "第一网格（1-6栋）：已走访 1/4户（25.0%），已装APP 1/4户（25.0%）")
    with new_session(roster.app[ENGINE]) as s:
        visit = s.exec(select(HomeVisit)).one()
    assert (visit.visitor_id, visit.anti_fraud, visit.app_installed, visit.findings, visit.follow_up) == (
        "worker-1", True, True, "讲解了刷单和冒充公检法诈骗", "下周教会远程协助")


async def test_a_household_by_address_and_the_grid_boundary(roster):
    [answer] = await say(roster, "officer-1", "/走访 3栋2单元302 反诈宣传 未装APP 老人无智能手机")
    assert answer.startswith("已记入走访台账：户g1-0302（3栋2单元302）反诈宣传，未装反诈APP。")
    [refused] = await say(roster, "worker-2", "/visit g1-0101 反诈宣传")
    assert refused == "您负责的网格里没有户“g1-0101”。可用户编号或完整地址。"
    [usage] = await say(roster, "worker-1", "/visit g1-0101")
    assert usage.startswith("用法：/visit 户编号 事由")
    [refused] = await say(roster, "resident-wang", "/visit g1-0101 反诈宣传")
    assert "只有" in refused


async def test_a_visit_typed_in_the_group_is_answered_privately(roster):
    sent = await roster.talk("grid-1", "worker-1", "/visit g1-0101 反诈宣传 已装APP")
    assert [(m["chat_id"], m["text"]) for m in sent if m["chat_id"] != "worker-1"] == [("grid-1", "已私信您")]
    assert [m["chat_id"] for m in sent].count("worker-1") == 1  # answered privately; the group hears only that


async def test_stats_coverage_matches_the_visits_recorded(roster):
    for who, text in [("worker-1", "/visit g1-0101 反诈宣传 已装APP"), ("worker-1", "/visit g1-0302 反诈宣传 未装APP"),
                      ("worker-1", "/visit g1-0302 走访入户 燃气灶已检查"),  # not anti-fraud: coverage unchanged
                      ("officer-1", "/visit g1-0101 反诈宣传 已装APP"),  # a second visit: the household counts once
                      ("worker-2", "/visit g2-0801 反诈宣传 已装APP"), ("officer-3", "/visit g3-s12 反诈 未装APP")]:
        await say(roster, who, text)
    [stats] = await say(roster, "officer-1", "/stats")
    assert "反诈宣传入户覆盖：" in stats
    assert "幸福里派出所：已走访 4/9户（44.4%），已装APP 2/9户（22.2%）" in stats
    assert "第一网格（1-6栋）：已走访 2/4户（50.0%），已装APP 1/4户（25.0%）" in stats
    assert "第二网格（7-12栋）：已走访 1/3户（33.3%），已装APP 1/3户（33.3%）" in stats
    assert "第三网格（沿街商铺）：已走访 1/2户（50.0%），已装APP 0/2户（0.0%）" in stats
    [one] = await say(roster, "officer-1", "/stats grid-2")
    assert "第二网格（7-12栋）：已走访 1/3户（33.3%）" in one and "第一网格" not in one and "幸福里派出所：" not in one
    assert "1栋1单元101" not in stats  # counts, not addresses


async def test_the_households_not_yet_visited_for_the_grid_worker(roster):
    await say(roster, "worker-1", "/visit g1-0101 反诈宣传 已装APP")
    [todo] = await say(roster, "worker-1", "/unvisited")
    assert todo.splitlines() == ["尚未反诈走访的住户（3户）：", "· g1-0302 3栋2单元302（独居老人、残疾）",
                                 "· g1-0501 5栋1单元501（留守儿童）", "· g1-0602 6栋1单元602（重点关注）"]
    [everyone] = await say(roster, "duty-1", "/未走访")
    assert "（8户）" in everyone and "g2-0902" in everyone and "g3-s15" in everyone
    [other] = await say(roster, "worker-2", "/unvisited grid-1")
    assert other.startswith("没有编号为 grid-1 的网格")


async def test_stats_without_a_household_roster_say_nothing_of_it(bot):
    sent = await bot.talk("officer-1", "officer-1", "/stats", direct=True)
    assert "反诈宣传入户覆盖" not in sent[0]["text"]


@pytest.mark.parametrize("args, expected", [
    ("反诈宣传 已装APP", Visit("反诈宣传", True, "", "")),
    ("反诈宣传 未装app 子女代管手机", Visit("反诈宣传", False, "子女代管手机", "")),
    ("走访入户 独居，身体尚可 需跟进：冬季取暖检查", Visit("走访入户", None, "独居，身体尚可", "冬季取暖检查")),
    ("安全检查 电动车楼道充电 待跟进", Visit("安全检查", None, "电动车楼道充电", "待跟进")),
    ("", None),
])
def test_visit_words(args, expected):
    assert parse_visit(args) == expected
