"""Inquiries: confident FAQ answers in the group; unsure ones become a case for the grid officer."""
from __future__ import annotations

import pytest

from handlers import faq

QUESTIONS = [
    ("请问新生儿怎么落户", "hukou_newborn"),
    ("外地户口迁入需要什么", "hukou_move_in"),
    ("分户怎么办理", "hukou_split"),
    ("居住证怎么办理", "residence_permit"),
    ("第一次办身份证要带什么", "id_first"),
    ("身份证丢了怎么补办", "id_replace"),
    ("临时身份证怎么办", "id_temporary"),
    ("无犯罪记录证明在哪开", "no_criminal_record"),
    ("办护照需要什么材料", "passport"),
    ("港澳通行证怎么续签", "hk_macau_permit"),
    ("驾驶证到期换证", "driving_license"),
    ("违章怎么处理", "traffic_violation"),
    ("出租房屋要登记吗", "rental_registration"),
    ("怎么网上报警", "report_crime"),
    ("派出所几点上班", "station_info"),
    ("請問新生兒怎麼落戶", "hukou_newborn"),
]


@pytest.mark.parametrize(("question", "topic"), QUESTIONS)
def test_faq_matches_topic(question, topic):
    found = faq.match(question)
    assert found.confident and found.entry.id == topic


@pytest.mark.parametrize("question", ["请问一下那个事情怎么弄", "邻居纠纷可以找谁调解", "你好"])
def test_faq_is_not_sure_of_vague_questions(question):
    assert not faq.match(question).confident


@pytest.mark.postgres
async def test_confident_answer_in_group_with_station_info(bot):
    sent = await bot.talk("grid-1", "resident-1", "请问新生儿怎么落户")
    assert len(sent) == 1 and sent[0]["chat_id"] == "grid-1" and sent[0]["mentions"] == ["resident-1"]
    assert "出生医学证明" in sent[0]["text"] and "幸福路88号" in sent[0]["text"]
    _, cases = await bot.api("/api/cases")
    assert cases == []


@pytest.mark.postgres
async def test_station_hours_question_gets_the_station_info(bot):
    sent = await bot.talk("grid-3", "resident-5", "派出所几点上班")
    assert "9:00-12:00" in sent[0]["text"] and "0571-00000000" in sent[0]["text"]


@pytest.mark.postgres
async def test_unsure_inquiry_opens_case_and_officer_reply_reaches_resident(bot):
    sent = await bot.talk("grid-2", "resident-7", "请问一下那个事情怎么弄")
    _, cases = await bot.api("/api/cases")
    assert len(cases) == 1 and cases[0]["kind"] == "inquiry" and cases[0]["assignee_id"] == "officer-2"
    assert any(m["chat_id"] == "officer-2" for m in sent)
    sent = await bot.talk("officer-2", "officer-2", f"/reply {cases[0]['id']} 您说的是哪件事？", direct=True)
    assert any(m["chat_id"] == "grid-2" and m["mentions"] == ["resident-7"] for m in sent)
