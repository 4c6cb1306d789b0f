"""Normalisation and terms: one canonical form for variants, old names, dialect and traditional characters."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.faq import kb, text


@pytest.mark.parametrize("written, normal", [
    ("暂住证怎么办", "居住证怎么办"),
    ("良民证去哪开", "无犯罪记录证明去哪开"),
    ("户口本丢了", "户口簿丢失"),  # one direction for retrieval: 户口簿 (the classifier's typos.txt is its own)
    ("身份證唔見咗", "身份证丢失"),
    ("無犯罪記錄證明", "无犯罪记录证明"),
    ("无犯罪记录证明在哪开", "无犯罪记录证明在哪开"),  # a canonical word is never rewritten
    ("无犯罪记录怎么开", "无犯罪记录证明怎么开"),
    ("港澳通签注", "港澳通行证签注"),
    ("电瓶车上牌", "电动自行车上牌"),
    ("sfz掉了咋整", "身份证丢失怎么办"),
    ("ＳＦＺ", "身份证"),
    ("身份证跌咗喺的士度", "身份证丢失在出租车度"),  # Cantonese; 丢咗 → 丢了 → 丢失 in a second round
    ("开无犯要带啥", "开无犯罪记录证明要带什么"),
    ("无犯罪纪录证明", "无犯罪记录证明"),
    ("阿拉囡囡报户口要啥物事", "我们孩子落户要什么东西"),
    ("派出所礼拜天上不上班", "派出所周日上不上班"),
    ("港奥通行证签住", "港澳通行证签注"),
    ("sfz件", "身份证"),  # a replacement that makes a listed word with its neighbour is normalised again
])
def test_variants_become_the_canonical_word(written, normal):
    assert text.normalise(written) == normal


def test_normalising_twice_changes_nothing_for_the_knowledge_base():
    for line in kb.packaged_texts():
        once = text.normalise(line)
        assert text.normalise(once) == once, line


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="户口本簿薄无犯罪记录证明港澳通行证身份丢了掉补办暂住居 ,。？abc123", max_size=30))
def test_normalising_is_idempotent(sample):
    once = text.normalise(sample)
    assert text.normalise(once) == once


def test_terms_are_words_bigrams_and_numbers_without_stop_words():
    terms = text.terms("请问12123怎么处理违章")
    assert "n:12123" in terms and "w:交通违法" in terms and "b:违法" in terms
    assert not any(t.endswith(":请问") or t.endswith(":怎么") for t in terms)


@pytest.mark.parametrize("message, asks", [
    ("居住证怎么办", True), ("身份证丢失补办", True), ("护照能加急吗", True),
    ("我的身份证找不到了，补办大概多久", True), ("俺爹身份证上岁数报错了，能改不", True),
    ("电子身份证住宾馆认不认", True), ("立户要房产证，还是购房合同就行", True), ("身份证做好冇", True),
    ("我结婚了想从爸妈户口本上分出来自己弄一个本", True), ("身份证跌咗，点补", True),
    ("刚才说的那个走丢的老人已经找到了 家人接回去了", False), ("跟楼上说了好几次他也不听 我们也没办法", False),
    ("我手机收到的验证码是注册反诈app的 已经弄好了", False), ("刚才是我家孩子在楼下放鞭炮 不好意思吓到大家了", False),
])
def test_asking_is_told_from_telling(message, asks):
    assert text.asks(message) is asks
