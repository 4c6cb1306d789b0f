"""预警劝阻: an officer's /dissuade reaches the household's grid worker and officer at once with the household's
details; a late task is escalated; /dissuaded closes it with an outcome; the success rate is counted."""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot.keys import ENGINE
from storage.db import session as new_session
from storage.models import Dissuasion

pytestmark = pytest.mark.postgres
WARNING = "反诈中心预警：该号码近1小时与境外诈骗号码通话3次，疑似冒充公检法"


def task(bot) -> Dissuasion:  # noqa: ANN001
    with new_session(bot.app[ENGINE]) as s:
        return s.exec(select(Dissuasion)).one()


async def test_the_task_reaches_the_grid_worker_and_officer_at_once_with_the_household(roster):
    roster.raw = True  # officers' cards carry raw numbers; the masked sent-log is tested in test_sandbox_guard
    sent = await roster.talk("officer-1", "officer-1", f"/dissuade 13900000101 {WARNING}", direct=True)
    by_chat = {m["chat_id"]: m["text"] for m in sent}
    assert set(by_chat) == {"officer-1", "worker-1"}
    card = by_chat["worker-1"]
    assert card.startswith("【预警劝阻】任务1号：请立即上门见面劝阻，30分钟内（09:30前）反馈！")
    assert "对象：王秀英（独居老人）　电话：13900000101" in card and "地址：1栋1单元101（户g1-0101，第一网格（1-6栋））" in card
    assert WARNING in card and "/dissuaded 1 已见面劝阻成功" in card
    # the officer created it: one message with the card and one confirmation
    assert any("已下发劝阻任务1号给周网格员、张警官，要求30分钟内反馈。" in m["text"] for m in sent)


async def test_a_late_task_is_escalated_and_then_closed_with_an_outcome(roster, clock):
    await roster.talk("officer-1", "officer-1", f"/劝阻 王秀英 {WARNING}", direct=True)
    clock.advance(minutes=29)
    await roster.tick()
    assert task(roster).escalations == 0
    clock.advance(minutes=1)
    before = len(await roster.sent())
    await roster.tick()
    late = (await roster.sent())[before:]
    assert {m["chat_id"] for m in late} == {"worker-1", "officer-1", "duty-1"}
    assert all(m["text"].startswith("【劝阻超时】任务1号已过30分钟仍未反馈（第1次提醒）") for m in late)
    clock.advance(minutes=30)
    await roster.tick()
    assert task(roster).escalations == 2
    sent = await roster.talk("worker-1", "worker-1", "/dissuaded 1 已见面劝阻成功 老人已挂断并拉黑对方号码", direct=True)
    by_chat = {m["chat_id"]: m["text"] for m in sent}
    assert by_chat["worker-1"] == "任务1号已记录：已见面劝阻成功，老人已挂断并拉黑对方号码。"
    assert by_chat["officer-1"].startswith("【劝阻反馈】任务1号（王秀英）：已见面劝阻成功") and "duty-1" in by_chat
    done = task(roster)
    assert (done.state, done.outcome, done.outcome_by, done.next_check_at) == ("done", "persuaded", "worker-1", None)
    clock.advance(hours=2)
    await roster.tick()
    assert task(roster).escalations == 2  # nothing more once closed
    [again] = [m["text"] for m in await roster.talk("officer-1", "officer-1", "/dissuaded 1 未见到人", direct=True)]
    assert again == "任务1号已反馈过：已见面劝阻成功。"


async def test_escalation_stops_after_three_reminders(roster, clock):
    await roster.talk("officer-1", "officer-1", f"/dissuade 王秀英 {WARNING}", direct=True)
    for _ in range(5):
        clock.advance(minutes=30)
        await roster.tick()
    assert task(roster).escalations == 3


async def test_the_success_rate_in_stats(roster):
    for target in ("13900000101", "赵桂兰", "13900000501"):
        await roster.talk("officer-1", "officer-1", f"/dissuade {target} {WARNING}", direct=True)
    for text in ("/dissuaded 1 已见面劝阻成功", "/劝阻结果 2 未见到人 家中无人", "/dissuaded 3 3"):
        await roster.talk("worker-1", "worker-1", text, direct=True)
    [stats] = [m["text"] for m in await roster.talk("officer-1", "officer-1", "/stats", direct=True)]
    assert "预警劝阻：3件，已反馈3件，劝阻成功率33%（1/3）（未见到人1，已报警1），超时0件，待反馈0件" in stats


@pytest.mark.parametrize("sender, text, expected", [
    ("officer-1", "/dissuade 13900000101", "用法：/dissuade 姓名或电话 预警内容"),
    ("officer-1", "/dissuade 查无此人 对方要求转账", "您负责的网格里没有找到住户“查无此人”"),
    ("officer-2", "/dissuade 王秀英 对方要求转账", "您负责的网格里没有找到住户“王秀英”"),  # not officer-2's grid
    ("worker-1", "/dissuade 王秀英 对方要求转账", "只有"),  # grid workers report outcomes, officers warn
    ("officer-1", "/dissuaded 9 已见面劝阻成功", "没有编号为9的劝阻任务。"),
    ("officer-1", "/dissuaded 1 看情况", "用法：/dissuaded 任务号"),
])
async def test_refusals(roster, sender, text, expected):
    sent = await roster.talk(sender, sender, text, direct=True)
    assert len(sent) == 1 and expected in sent[0]["text"]


async def test_another_grids_worker_cannot_close_the_task(roster):
    await roster.talk("officer-1", "officer-1", f"/dissuade 王秀英 {WARNING}", direct=True)
    [refused] = [m["text"] for m in await roster.talk("worker-2", "worker-2", "/dissuaded 1 已见面劝阻成功", direct=True)]
    assert refused == "任务1号不属于您负责的网格。" and task(roster).state == "open"


async def test_a_dissuasion_typed_in_the_group_never_shows_there(roster):
    sent = await roster.talk("grid-1", "officer-1", f"/dissuade 13900000101 {WARNING}")
    assert [m["text"] for m in sent if m["chat_id"] == "grid-1"] == ["已私信您"] and len(sent) > 1
