"""The packaged knowledge base: it covers the counter, each topic is complete, and officers' entries apply
over it."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from handlers.faq import answer, kb
from handlers.faq.retrieve import Retriever
from tests.factories import internal_codes, make_config

COUNTER = {  # what the issue asks the knowledge base to cover, by topic id
    "户政": ["hukou_newborn", "hukou_move_in", "hukou_move_out", "hukou_split", "hukou_new_household",
           "hukou_death_cancel", "hukou_name_change", "hukou_birthdate_fix", "hukou_book_reissue"],
    "身份证": ["id_first", "id_renew", "id_lost", "id_temporary", "id_remote"],
    "居住证": ["residence_permit", "residence_register"], "证明": ["no_crime_certificate"],
    "出入境": ["passport", "hk_macau_permit", "taiwan_permit"],
    "车驾管": ["license_renew", "license_lost", "traffic_violation", "ebike_register"],
    "出租房屋": ["rental_register", "residence_register"], "报警": ["report_police", "report_online"],
    "失物招领": ["lost_found"], "养犬": ["dog_register"], "反诈": ["antifraud_app", "antifraud_96110"],
    "特种行业": ["unlock_service", "courier_realname", "hotel_registration"],
    "派出所": ["station_address", "station_hours", "station_phone", "station_bring"],
}


def test_the_knowledge_base_covers_the_counter_in_sixty_topics_or_more():
    topics = {t.key: t for t in kb.packaged()}
    assert len(topics) >= 60
    assert [k for keys in COUNTER.values() for k in keys if k not in topics] == []
    assert len({t.domain for t in topics.values()}) == 13


@pytest.mark.parametrize("topic", kb.packaged(), ids=lambda t: t.key)
def test_every_topic_is_complete_and_fills_in_cleanly(topic):
    assert len(topic.questions) >= 8 and len(set(topic.questions)) == len(topic.questions)
    assert topic.anchors and topic.title
    filled = answer.fill(topic.answer, answer.station_info(make_config().station))
    assert "{" not in filled and "}" not in filled
    assert internal_codes(filled, []) == []


def test_station_topics_carry_the_station_details_so_the_footer_does_not_repeat_them():
    station = make_config().station
    by_key = {t.key: t for t in kb.packaged()}
    hours = answer.compose([by_key["station_hours"]], station, "张警官")
    assert hours.count(station.hours) == 1 and hours.count(station.phone) == 1
    permit = answer.compose([by_key["residence_permit"], by_key["station_hours"]], station, "张警官")
    assert permit.count(station.hours) == 1 and station.address in permit  # the footer adds only the address
    address = answer.compose([by_key["station_address"]], station, "张警官")
    assert address.count(station.address) == 1 and "📍" not in address


def test_a_broken_placeholder_is_refused():
    with pytest.raises(kb.KnowledgeBaseError):
        kb.check_answer("请到{station}的{window}办理")
    kb.check_answer("请到{station}办理，电话{phone}")


@dataclass
class Row:  # what kb.merged reads of a FaqEntry row
    id: int
    title: str
    answer: str = ""
    questions: list = field(default_factory=list)
    topic_key: str | None = None
    state: str = "active"
    station: bool = False


def test_officers_entries_override_hide_and_add_topics():
    rows = [Row(1, "新生儿落户", "新的落户答复", topic_key="hukou_newborn"),
            Row(2, "门牌号与门牌证明", state="removed", topic_key="house_number"),
            Row(3, "核酸证明", "到社区卫生服务中心开具", ["核酸证明在哪开", "要核酸证明去哪里"]),
            Row(4, "草稿", "未确认", ["草稿问题"], state="draft")]
    merged = {t.key: t for t in kb.merged(rows)}
    assert merged["hukou_newborn"].answer == "新的落户答复" and merged["hukou_newborn"].questions
    assert "house_number" not in merged and "entry-4" not in merged
    assert merged["entry-3"].title == "核酸证明" and not merged["entry-3"].packaged
    found = Retriever(list(merged.values())).find("核酸证明在哪里开")
    assert found.action == "answer" and found.topics[0].key == "entry-3"
