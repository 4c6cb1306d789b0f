"""Inquiries through the sandbox: a sure answer in the group (several in one reply), one clarifying question
when two topics are close (the number answers it), else a case for the grid officer."""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot.keys import CLOCK, ENGINE
from handlers.intents.inquiry import CLARIFY_MINUTES, parse_choice
from storage.db import session
from storage.models import FaqClarification

PERMIT_AND_WEEKEND = "请问办居住证要带哪些材料 在哪里办 周末能办吗"


@pytest.mark.postgres
async def test_sure_answer_in_the_group_with_the_station_details(bot):
    sent = await bot.talk("grid-1", "resident-1", "请问新生儿怎么落户")
    assert len(sent) == 1 and sent[0]["chat_id"] == "grid-1" and sent[0]["mentions"] == ["resident-1"]
    assert "出生医学证明" in sent[0]["text"] and "幸福路88号" in sent[0]["text"]
    _, cases = await bot.api("/api/cases")
    assert cases == []


@pytest.mark.postgres
async def test_residence_permit_and_weekend_hours_are_answered_in_one_reply(bot):
    sent = await bot.talk("grid-2", "resident-7", PERMIT_AND_WEEKEND)
    assert len(sent) == 1
    text = sent[0]["text"]
    assert "居住证" in text and "材料" in text and "周六上午 9:00-12:00" in text
    assert text.count("周六上午 9:00-12:00") == 1  # the station footer does not repeat the hours


async def test_station_hours_question_gets_the_station_info(bot):
    sent = await bot.talk("grid-3", "resident-5", "派出所几点上班")
    assert "9:00-12:00" in sent[0]["text"] and "0571-00000000" in sent[0]["text"]


@pytest.mark.postgres
async def test_close_topics_get_one_question_and_the_number_answers_it(bot):
    sent = await bot.talk("grid-1", "resident-1", "身份证丢了急用")
    assert len(sent) == 1 and sent[0]["text"].startswith("您想问：1 ") and sent[0]["text"].endswith("回复数字")
    choices = sent[0]["text"]
    assert "临时身份证" in choices
    number = next(n for n in "123" if f"{n} 临时身份证" in choices)
    sent = await bot.talk("grid-1", "resident-1", number)
    assert len(sent) == 1 and "【临时身份证】" in sent[0]["text"] and sent[0]["mentions"] == ["resident-1"]
    assert await bot.talk("grid-1", "resident-1", number) == []  # answered once; "1" again is chatter
    with session(bot.app[ENGINE]) as s:
        assert [c.state for c in s.exec(select(FaqClarification)).all()] == ["answered"]


async def test_a_number_out_of_range_is_asked_again_and_another_residents_number_is_not_taken(bot):
    await bot.talk("grid-1", "resident-1", "身份证丢了急用")
    assert await bot.talk("grid-1", "resident-2", "1") == []
    sent = await bot.talk("grid-1", "resident-1", "9")
    assert "请回复 1 到" in sent[0]["text"]


async def test_the_clarifying_question_waits_only_a_short_while(bot):
    await bot.talk("grid-1", "resident-1", "身份证丢了急用")
    bot.app[CLOCK].advance(minutes=CLARIFY_MINUTES + 1)
    assert await bot.talk("grid-1", "resident-1", "1") == []


async def test_a_new_question_replaces_the_pending_one(bot):
    await bot.talk("grid-1", "resident-1", "身份证丢了急用")
    await bot.talk("grid-1", "resident-1", "派出所几点上班")
    assert await bot.talk("grid-1", "resident-1", "2") == []


@pytest.mark.parametrize("text, number", [("2", 2), ("２", 2), ("第二个", 2), ("1。", 1), ("3号", 3),
                                          ("12", None), ("好的", None), ("2栋", None)])
def test_parse_choice(text, number):
    assert parse_choice(text) == number


@pytest.mark.postgres
async def test_unsure_inquiry_opens_case_and_officer_reply_reaches_resident(bot):
    sent = await bot.talk("grid-2", "resident-7", "请问一下那个事情怎么弄")
    _, cases = await bot.api("/api/cases")
    assert len(cases) == 1 and cases[0]["kind"] == "inquiry" and cases[0]["assignee_id"] == "officer-2"
    assert any(m["chat_id"] == "officer-2" for m in sent)
    sent = await bot.talk("officer-2", "officer-2", f"/reply {cases[0]['id']} 您说的是哪件事？", direct=True)
    assert any(m["chat_id"] == "grid-2" and m["mentions"] == ["resident-7"] for m in sent)
