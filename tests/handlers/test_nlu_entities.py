"""Entity extraction and masking as tables."""
from __future__ import annotations

import pytest

from handlers.nlu import classify
from handlers.nlu.entities import extract_entities
from handlers.privacy import mask_personal

ENTITY_TABLE = [
    ("电话159****3308 打我手机", "phones", ("159****3308",)),
    ("我的手机13812345678", "phones", ("13812345678",)),
    ("客服400-8**-6637", "phones", ("400-8**-6637",)),
    ("身份证号11010119900307123X", "id_cards", ("11010119900307123X",)),
    ("被骗了5000元", "amounts", ("5000元",)),
    ("借了他三千块", "amounts", ("三千块",)),
    ("投了2万 又借给同事2万8", "amounts", ("2万", "2万8")),
    ("已经转了2000 千万别转", "amounts", ("2000",)),
    ("住8栋2单元301", "rooms", ("8栋2单元301",)),
    ("3号楼502漏水", "rooms", ("3号楼502",)),
    ("5-1-302借个电钻", "rooms", ("5-1-302",)),
    ("明天下午3点来", "times", ("明天下午3点",)),
    ("11月5日那天", "times", ("11月5日",)),
    ("昨晚十点又吵", "times", ("昨晚十点",)),
]


@pytest.mark.parametrize(("text", "field", "expected"), ENTITY_TABLE)
def test_entity_table(text, field, expected):
    assert getattr(extract_entities(text), field) == expected


def test_id_card_is_not_also_a_phone():
    ents = extract_entities("身份证110101199003071234")
    assert ents.id_cards == ("110101199003071234",) and ents.phones == ()


def test_classify_extracts_from_full_width_and_traditional_text():
    ents = classify("我住８棟２單元３０１ 電話１３８１２３４５６７８").entities
    assert ents.rooms == ("8栋2单元301",)
    assert ents.phones == ("13812345678",)


MASK_TABLE = [
    ("手机13812345678", "手机138****5678"),
    ("身份证11010119900307123X", "身份证1101**********123X"),
    ("已打码159****3308", "已打码159****3308"),
    ("没有号码", "没有号码"),
]


@pytest.mark.parametrize(("text", "masked"), MASK_TABLE)
def test_mask_personal(text, masked):
    assert mask_personal(text) == masked
