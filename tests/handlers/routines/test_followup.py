"""Follow-up visits (回访) end to end on a fake clock: resolve → survey DM after followup_days → answer."""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot.keys import ENGINE
from storage.db import session as new_session
from storage.models import Survey, VisitTask

pytestmark = pytest.mark.postgres

NOISE = "楼上邻居天天晚上拖椅子 吵得睡不着 物业也不管"


async def resolved_case(bot) -> int:
    await bot.talk("grid-2", "resident-7", NOISE)
    _, cases = await bot.api("/api/cases")
    case_id = cases[0]["id"]
    await bot.talk("officer-2", "officer-2", f"/resolve {case_id} 双方协商，晚十点后保持安静", direct=True)
    return case_id


async def survey_after_three_days(bot, clock) -> int:
    case_id = await resolved_case(bot)
    clock.advance(days=2, hours=23)
    assert await bot.tick() == 0
    before = len(await bot.sent("resident-7"))
    clock.advance(hours=1)
    assert await bot.tick() == 1
    assert await bot.tick() == 0
    survey = (await bot.sent("resident-7"))[before:]
    assert len(survey) == 1 and f"{case_id}号" in survey[0]["text"] and "满意" in survey[0]["text"]
    return case_id


async def test_unsatisfied_answer_reopens_and_notifies_officer(bot, clock):
    case_id = await survey_after_three_days(bot, clock)
    sent = await bot.talk("resident-7", "resident-7", "不满意，还是很吵", direct=True)
    assert any(m["chat_id"] == "resident-7" and "重新打开" in m["text"] for m in sent)
    assert any(m["chat_id"] == "officer-2" and "不满意" in m["text"] for m in sent)
    _, case = await bot.api(f"/api/cases/{case_id}")
    assert case["status"] == "assigned" and case["satisfaction"] == "unsatisfied"
    assert [e["action"] for e in case["events"]][-3:] == ["survey_sent", "survey_answered", "reopened"]


@pytest.mark.parametrize(("answer", "satisfaction"), [("满意", "satisfied"), ("2", "basic"), ("基本满意", "basic")])
async def test_satisfied_answer_closes_the_case(bot, clock, answer, satisfaction):
    case_id = await survey_after_three_days(bot, clock)
    sent = await bot.talk("resident-7", "resident-7", answer, direct=True)
    to_resident = [m["text"] for m in sent if m["chat_id"] == "resident-7"]
    assert len(to_resident) == 1 and "已结案" in to_resident[0]
    assert [m["chat_id"] for m in sent if m["chat_id"] != "resident-7"] == ["officer-2"]  # the officer is told
    _, case = await bot.api(f"/api/cases/{case_id}")
    assert case["status"] == "closed" and case["satisfaction"] == satisfaction
    sent = await bot.talk("officer-2", "officer-2", "/stats", direct=True)
    assert "满意率：100%（1/1）" in sent[0]["text"]


async def test_unclear_answer_is_asked_again(bot, clock):
    await survey_after_three_days(bot, clock)
    sent = await bot.talk("resident-7", "resident-7", "啥？", direct=True)
    assert len(sent) == 1 and "请回复数字" in sent[0]["text"]


async def test_no_answer_becomes_a_visit_task_for_the_grid_worker(bot, clock):
    case_id = await survey_after_three_days(bot, clock)
    clock.advance(hours=47)
    assert await bot.tick() == 0
    clock.advance(hours=1)
    assert await bot.tick() == 1
    assert await bot.tick() == 0
    task = await bot.sent("worker-2")
    assert len(task) == 1 and "上门回访" in task[0]["text"] and f"{case_id}号" in task[0]["text"]
    _, case = await bot.api(f"/api/cases/{case_id}")
    assert case["events"][-1]["action"] == "visit_task"
    with new_session(bot.app[ENGINE]) as session:
        assert session.exec(select(Survey.state)).one() == "expired"
        assert session.exec(select(VisitTask.worker_id)).one() == "worker-2"
    # a late answer is no longer a survey answer
    sent = await bot.talk("resident-7", "resident-7", "满意", direct=True)
    assert all("已结案" not in m["text"] for m in sent)


async def test_reopened_and_resolved_again_gets_a_second_survey(bot, clock):
    case_id = await survey_after_three_days(bot, clock)
    await bot.talk("resident-7", "resident-7", "3", direct=True)
    await bot.talk("officer-2", "officer-2", f"/resolve {case_id} 再次调解，加装隔音垫", direct=True)
    clock.advance(days=3)
    assert await bot.tick() == 1
    with new_session(bot.app[ENGINE]) as session:
        assert len(session.exec(select(Survey)).all()) == 2


async def test_the_officer_hears_when_a_survey_answer_closes_their_case(bot, clock):
    case_id = await survey_after_three_days(bot, clock)
    sent = await bot.talk("resident-7", "resident-7", "满意", direct=True)
    told = [m for m in sent if m["chat_id"] == "officer-2"]
    assert len(told) == 1 and "【回访结案】" in told[0]["text"] and f"{case_id}号" in told[0]["text"]
    assert "满意" in told[0]["text"] and "已结案" in told[0]["text"]
