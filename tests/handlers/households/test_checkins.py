"""Check-ins of residents who live alone, on a fake clock: the question on schedule, no answer → the caretaker
→ the officer, an answer asking for help (or a flagged message) → a help call with address and caretaker, and the
caretaker's /checkin for residents without WeChat. The demo sheet: 王秀英 (WeChat, daily 09:00, 3 h, caretaker
周网格员 worker-1), 李建国 (no WeChat, Mon/Wed/Fri 10:00, 2 h, worker-1), 刘淑芬 (WeChat, daily 08:00, 2 h,
caretaker 陈阿姨 mediator-building)."""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot.keys import ENGINE
from storage.db import session as new_session
from storage.models import Case, CheckIn, Resident
from tests.factories import make_config

pytestmark = pytest.mark.postgres


def checkins(bot, name: str) -> list[CheckIn]:  # noqa: ANN001
    with new_session(bot.app[ENGINE]) as s:
        resident = s.exec(select(Resident).where(Resident.name == name)).one()
        return list(s.exec(select(CheckIn).where(CheckIn.resident_id == resident.id).order_by(CheckIn.id)))


async def texts_to(bot, chat: str, about: str = "") -> list[str]:  # noqa: ANN001
    return [m["text"] for m in await bot.sent(chat) if about in m["text"]]


async def test_the_question_goes_out_on_schedule_and_1_is_recorded_safe(roster, clock):
    assert await roster.tick() == 1  # Monday 09:00: 王秀英's daily question
    [question] = await texts_to(roster, "resident-wang")
    assert question == "王奶奶，今天身体还好吗？回复 1 平安，回复 2 需要帮忙"
    assert await roster.tick() == 0
    sent = await roster.talk("resident-wang", "resident-wang", "1", direct=True)
    assert [m["text"] for m in sent] == ["收到，王奶奶平安就好！有事随时回复 2 或直接说，我们马上联系您。"]
    [row] = checkins(roster, "王秀英")
    assert (row.state, row.answered_by, row.caretaker_at) == ("ok", "resident-wang", None)
    clock.advance(hours=24)
    assert await roster.tick() == 2  # Tuesday 09:00: 王秀英's, and 刘淑芬's first (08:00, this morning)
    assert len(checkins(roster, "王秀英")) == 2


async def test_no_answer_goes_to_the_caretaker_then_to_the_officer(roster, clock):
    roster.raw = True  # officers' cards carry raw numbers; the masked sent-log is tested in test_sandbox_guard
    await roster.tick()
    clock.advance(hours=2, minutes=59)
    await roster.tick()
    assert await texts_to(roster, "worker-1", "王秀英") == []
    clock.advance(minutes=1)  # 12:00: three hours without an answer
    await roster.tick()
    [look_in] = await texts_to(roster, "worker-1", "王秀英")
    assert "王秀英（独居老人）09:00的平安询问3小时未回复" in look_in and "地址：1栋1单元101" in look_in
    assert "/checkin 王秀英 ok" in look_in and await texts_to(roster, "officer-1") == []
    clock.advance(hours=3)  # 15:00: still nobody
    await roster.tick()
    [alert] = await texts_to(roster, "officer-1", "王秀英")
    assert alert.startswith("【平安探访·请民警关注】王秀英（独居老人）09:00的平安探访至今无人确认")
    assert "照护人：周网格员" in alert and "地址：1栋1单元101" in alert and "13900000101" in alert
    clock.advance(hours=5)
    await roster.tick()
    assert len(await texts_to(roster, "officer-1", "王秀英")) == 1  # told once
    sent = await roster.talk("worker-1", "worker-1", "/checkin 王秀英 ok", direct=True)
    assert [m["text"] for m in sent] == ["已记录：王秀英今天平安（周网格员确认）。"]
    [row] = checkins(roster, "王秀英")
    assert row.state == "ok" and row.asked_at and row.caretaker_at and row.officer_at and row.answered_by == "worker-1"


async def test_a_reply_asking_for_help_is_a_help_call_with_address_and_caretaker(roster):
    roster.raw = True  # officers' cards carry raw numbers; the masked sent-log is tested in test_sandbox_guard
    await roster.tick()
    sent = await roster.talk("resident-wang", "resident-wang", "2", direct=True)
    by_chat = {m["chat_id"]: m["text"] for m in sent}
    assert set(by_chat) == {"resident-wang", "officer-1", "duty-1", "worker-1"}
    assert by_chat["resident-wang"].startswith("已通知周网格员和责任民警张警官马上联系您")
    card = by_chat["officer-1"]
    assert card.startswith("【紧急求助·独居老人】") and "地址：1栋1单元101（户g1-0101）" in card
    assert "照护人：周网格员" in card and "求助人：王秀英　电话：13900000101" in card
    [row] = checkins(roster, "王秀英")
    assert row.state == "help" and row.case_id is not None
    _, case = await roster.api(f"/api/cases/{row.case_id}")
    assert (case["kind"], case["urgent"], case["grid_id"], case["assignee_id"]) == ("help", True, "grid-1", "officer-1")
    assert "照护人周网格员" in case["events"][-1]["detail"] and "1栋" not in case["events"][-1]["detail"]


async def test_a_flagged_message_in_the_group_is_a_help_call_and_the_group_hears_no_address(roster):
    sent = await roster.talk("grid-1", "resident-wang", "我在家摔倒了起不来 救命")
    group = [m["text"] for m in sent if m["chat_id"] == "grid-1"]
    assert len(group) == 1 and "1栋" not in group[0] and "13900000101" not in group[0] and "周网格员" not in group[0]
    card = next(m["text"] for m in sent if m["chat_id"] == "officer-1")
    assert "地址：1栋1单元101" in card and "照护人：周网格员" in card
    assert any(m["chat_id"] == "worker-1" for m in sent)


async def test_a_resident_who_is_not_flagged_goes_the_usual_way(roster):
    sent = await roster.talk("grid-1", "resident-other", "我在家摔倒了起不来 救命")
    assert not any("地址：" in m["text"] for m in sent) and any(m["chat_id"] == "officer-1" for m in sent)


async def test_their_own_words_count_as_an_answer_and_reach_the_usual_route(roster):
    await roster.tick()
    sent = await roster.talk("resident-wang", "resident-wang", "今天去女儿家了，挺开心", direct=True)
    assert not any(m["chat_id"] in ("officer-1", "worker-1") for m in sent)
    [row] = checkins(roster, "王秀英")
    assert (row.state, row.answer) == ("ok", "今天去女儿家了，挺开心")


async def test_a_resident_without_wechat_is_looked_in_on_by_the_caretaker(roster, clock):
    roster.raw = True  # the caretaker needs his number to call him; the masked sent-log is tested in test_sandbox_guard
    clock.advance(hours=1)  # Monday 10:00
    await roster.tick()
    look_in = await texts_to(roster, "worker-1", "李建国")
    assert len(look_in) == 1 and look_in[0].startswith("【平安探访】李建国（独居老人、残疾）没有微信")
    assert "电话：057100001302" in look_in[0]
    clock.advance(hours=2)  # his two hours pass: the officer
    await roster.tick()
    assert any("李建国" in t for t in await texts_to(roster, "officer-1"))
    sent = await roster.talk("grid-1", "worker-1", "/报平安 李建国 平安")
    assert [(m["chat_id"], m["text"]) for m in sent if m["chat_id"] != "worker-1"] == [("grid-1", "已私信您")]
    assert [m["chat_id"] for m in sent].count("worker-1") == 1  # answered privately; the group hears only that
    assert checkins(roster, "李建国")[-1].state == "ok"


async def test_a_caretaker_who_looked_in_early_spares_the_question(roster, clock):
    await roster.talk("worker-1", "worker-1", "/checkin 李建国 ok", direct=True)  # Monday 09:00
    clock.advance(hours=1)
    await roster.tick()
    assert not [t for t in await texts_to(roster, "worker-1") if "【平安探访】" in t]
    assert [c.state for c in checkins(roster, "李建国")] == ["ok"]


async def test_a_caretaker_calls_for_help_for_a_resident_without_wechat(roster):
    sent = await roster.talk("worker-1", "worker-1", "/checkin 李建国 求助 敲门无人应，邻居说昨晚听到摔倒声", direct=True)
    by_chat = {m["chat_id"]: m["text"] for m in sent}
    assert by_chat["worker-1"].startswith("已为李建国发起紧急求助")
    assert "周网格员代李建国求助：敲门无人应" in by_chat["officer-1"] and "地址：3栋2单元302" in by_chat["officer-1"]
    with new_session(roster.app[ENGINE]) as s:
        assert s.exec(select(Case)).one().kind == "help"


@pytest.mark.parametrize("sender, who, expected", [
    ("worker-2", "李建国", "没有找到住户“李建国”"),  # another grid's worker does not even learn he exists
    ("mediator-building", "王秀英", "没有找到住户“王秀英”"),
    ("mediator-building", "刘淑芬", "已记录：刘淑芬今天平安（陈阿姨确认）。"),  # a volunteer caretaker may
    ("duty-1", "李建国", "已记录：李建国今天平安（赵警官确认）。"),  # station-wide
    ("resident-liu", "王秀英", "没有找到住户“王秀英”"),
    ("worker-1", "13900000101", "已记录：王秀英今天平安（周网格员确认）。"),
])
async def test_who_may_check_in_for_whom(roster, sender, who, expected):
    sent = await roster.talk(sender, sender, f"/checkin {who} ok", direct=True)
    assert len(sent) == 1 and expected in sent[0]["text"]


async def test_a_check_in_due_while_the_bot_was_down_all_day_is_skipped(roster, clock):
    await roster.tick()  # schedules 王秀英 (09:00 today: asked)
    clock.advance(days=2)  # the bot was off until Wednesday 09:00
    await roster.tick()
    assert [c.state for c in checkins(roster, "王秀英")] == ["caretaker", "skipped", "asked"]
    assert len(await texts_to(roster, "resident-wang")) == 2  # Monday's and Wednesday's, none for Tuesday


async def test_the_officer_is_told_at_once_when_nobody_else_can_be_asked(roster, clock, engine):
    with new_session(engine) as s:
        li = s.exec(select(Resident).where(Resident.name == "李建国")).one()
        li.caretaker_id = None
        s.add(li)
        s.commit()
    clock.advance(hours=1)
    await roster.tick()
    assert any("李建国" in t for t in await texts_to(roster, "officer-1"))
    assert checkins(roster, "李建国")[0].state == "officer"


@pytest.mark.parametrize("text, expected", [
    ("1", "ok"), ("平安", "ok"), ("好", "ok"), ("还好", "ok"), ("1 平安", "ok"), ("没事。", "ok"),
    ("2", "help"), ("需要帮忙", "help"), ("不好", "help"), ("我摔倒了", "help"), ("头晕", "help"),
    ("12点再说", None), ("今天去女儿家了", None), ("啥", None),
])
def test_check_in_answers(text, expected):
    from handlers.routines.checkin_replies import parse_answer

    assert parse_answer(text) == expected



async def test_an_edit_from_the_console_is_checked_scoped_and_audited(roster, clock, engine):
    from handlers.households.edit import EditRefused, edit_resident
    from storage.models import AuditEntry, Person

    with new_session(engine) as s:
        wang = s.exec(select(Resident).where(Resident.name == "王秀英")).one()
        officer, other = s.get(Person, "officer-1"), s.get(Person, "officer-2")
        with pytest.raises(EditRefused):
            edit_resident(s, resident_id=wang.id, changes={"note": "x"}, editor=other, now=clock.now())
        with pytest.raises(EditRefused, match="看不懂"):
            edit_resident(s, resident_id=wang.id, changes={"checkin_days": "每月"}, editor=officer, now=clock.now())
        with pytest.raises(EditRefused, match="不能修改"):
            edit_resident(s, resident_id=wang.id, changes={"household_id": "g2-0801"}, editor=officer, now=clock.now())
        edit_resident(s, resident_id=wang.id, changes={"checkin_days": "周二", "flags": ["alone_elderly", "watch"]},
                      editor=officer, now=clock.now())
        s.commit()
        assert (wang.checkin_days, wang.flags, wang.next_checkin_at) == ("2", ["alone_elderly", "watch"], None)
        [entry] = s.exec(select(AuditEntry).where(AuditEntry.action == "edit_resident")).all()
        assert entry.actor_id == "officer-1" and entry.detail.endswith("checkin_days, flags")
    await roster.tick()  # Monday: no question now; the next one is on Tuesday
    assert await texts_to(roster, "resident-wang") == []


ON_DUTY_NOW = {"person": "officer-2", "grids": ["grid-1"], "hours": "08:00-18:00", "weekdays": [1]}  # Monday


@pytest.mark.parametrize("config", [make_config(duty=[ON_DUTY_NOW])])
async def test_a_help_reply_from_a_check_in_pages_the_officer_on_duty(roster):
    roster.raw = True
    await roster.tick()
    sent = await roster.talk("resident-wang", "resident-wang", "2", direct=True)
    cards = sorted(m["chat_id"] for m in sent if m["text"].startswith("【紧急求助·独居老人】"))
    assert cards == ["duty-1", "officer-1", "officer-2", "worker-1"]  # on duty, the grid's officer, duty, caretaker
    [row] = checkins(roster, "王秀英")
    _, case = await roster.api(f"/api/cases/{row.case_id}")
    assert case["assignee_id"] == "officer-2"
