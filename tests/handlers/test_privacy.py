"""The one masking function: every common way of writing a phone, an ID-card number or a bank card is masked;
ordinary numbers (dates, amounts, room numbers, times) are left alone."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.privacy import mask_address, mask_name, mask_personal

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

TABLE = [
    ("手机13812345678", "手机138****5678"),
    ("电话 138 1234 5678 找我", "电话 138 **** 5678 找我"),
    ("138-1234-5678", "138-****-5678"),
    ("１３８１２３４５６７８", "１３８****５６７８"),
    ("+86 138 1234 5678", "+86 138 **** 5678"),
    ("+8613812345678", "+86138****5678"),
    ("8613812345678", "86138****5678"),
    ("座机010-12345678", "座机010-******78"),
    ("0571-8888888", "0571-*****88"),
    ("0571-88886666转801", "0571-******66转801"),
    ("010-12345678-123", "010-******78-123"),
    ("身份证110101199003071234", "身份证1101**********1234"),
    ("身份证11010119900307123X", "身份证1101**********123X"),
    ("老身份证110101900307123", "老身份证1101*******7123"),
    ("卡号6222021234567890123", "卡号6222***********0123"),
    ("卡号 6222 0212 3456 7890", "卡号 6222 **** **** 7890"),
    ("已打码159****3308", "已打码159****3308"),
    ("3栋502 13812345678", "3栋502 138****5678"),
    ("2024年5月1日下午3点在3栋502，转了12000元", "2024年5月1日下午3点在3栋502，转了12000元"),
    ("2024-05-01 10:30 交了5000元", "2024-05-01 10:30 交了5000元"),
    ("1-2-301的住户", "1-2-301的住户"),
]


@pytest.mark.parametrize(("text", "masked"), TABLE)
def test_mask_personal_table(text, masked):
    assert mask_personal(text) == masked


def test_mask_name_and_address():
    assert mask_name("张三丰") == "张**"
    assert mask_address("幸福里1栋2单元301") == "幸福里1栋2单元***"


# ---- generated personal numbers in every common form -------------------------------------------------------------

_d = st.sampled_from("0123456789")


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.lists(_d, min_size=n, max_size=n).map("".join)


mobiles = st.tuples(st.sampled_from("3456789"), _digits(9)).map(lambda t: "1" + t[0] + t[1])


@st.composite
def mobile_forms(draw) -> str:
    m = draw(mobiles)
    form = draw(st.sampled_from(["plain", "spaced", "dashed", "full", "plus86", "86", "plus86 spaced"]))
    return {"plain": m, "spaced": f"{m[:3]} {m[3:7]} {m[7:]}", "dashed": f"{m[:3]}-{m[3:7]}-{m[7:]}",
            "full": m.translate(FULL_WIDTH), "plus86": "+86" + m, "86": "86" + m,
            "plus86 spaced": f"+86 {m[:3]} {m[3:7]} {m[7:]}"}[form]


@st.composite
def landlines(draw) -> str:
    area = draw(st.sampled_from(["010", "021", "020", "0571", "0755", "0431"]))
    local = draw(st.sampled_from("2345678")) + draw(_digits(draw(st.sampled_from([6, 7]))))
    sep = draw(st.sampled_from(["-", "", " ", "－"]))
    ext = draw(st.sampled_from(["", "转801", "-123", " 分机 12"]))
    return f"{area}{sep}{local}{ext}"


@st.composite
def id_numbers(draw) -> str:
    area = draw(st.sampled_from("123456789")) + draw(_digits(5))
    month = f"{draw(st.integers(1, 12)):02d}"
    day = f"{draw(st.integers(1, 28)):02d}"
    if draw(st.booleans()):  # old 15-digit style: YYMMDD
        return area + f"{draw(st.integers(0, 99)):02d}" + month + day + draw(_digits(3))
    value = area + str(draw(st.integers(1930, 2025))) + month + day + draw(_digits(3)) + draw(st.sampled_from("0123456789Xx"))
    return value.translate(FULL_WIDTH) if draw(st.booleans()) else value


@st.composite
def bank_cards(draw) -> str:
    card = draw(st.sampled_from(["62", "43", "51", "95"])) + draw(_digits(draw(st.integers(14, 17))))
    if draw(st.booleans()):
        return " ".join(card[i:i + 4] for i in range(0, len(card), 4))
    return card


personal = st.one_of(mobile_forms(), landlines(), id_numbers(), bank_cards())
chinese = st.text(alphabet=st.sampled_from("的我家楼上电话号码是请联系身份证卡转账，。：！？ 张李王小区"), max_size=12)


def _plain_digits(text: str) -> str:
    return re.sub(r"[^0-9X]", "", text.translate(str.maketrans("０１２３４５６７８９Ｘｘx", "0123456789XXX")))


@settings(max_examples=600, deadline=None)
@given(before=chinese, value=personal, after=chinese)
def test_no_personal_number_survives_masking(before, value, after):
    text = f"{before}{value}{after}"
    masked = mask_personal(text)
    assert value not in masked
    core = _plain_digits(re.split(r"转|分机", value)[0])  # the number without its extension
    assert core not in _plain_digits(masked), (text, masked)
    assert len(masked) == len(text)


ordinary = st.one_of(
    st.builds(lambda y, m, d: f"{y}年{m}月{d}日", st.integers(1990, 2030), st.integers(1, 12), st.integers(1, 31)),
    st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(1990, 2030), st.integers(1, 12), st.integers(1, 31)),
    st.builds(lambda n: f"{n}元", st.integers(0, 10**8)),
    st.builds(lambda n: f"¥{n}.50", st.integers(0, 10**7)),
    st.builds(lambda b, r: f"{b}栋{r}", st.integers(1, 40), st.integers(101, 3399)),
    st.builds(lambda b, u, r: f"{b}-{u}-{r}", st.integers(1, 40), st.integers(1, 9), st.integers(101, 3399)),
    st.builds(lambda h, m: f"{h}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda n: f"{n}个人", st.integers(0, 10**6)),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(chinese, ordinary), min_size=1, max_size=4))
def test_ordinary_numbers_are_not_destroyed(pieces):
    text = "".join(f"{words}{number}，" for words, number in pieces)
    assert mask_personal(text) == text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_masking_keeps_length_and_is_idempotent(text):
    masked = mask_personal(text)
    assert len(masked) == len(text)
    assert mask_personal(masked) == masked


@pytest.mark.parametrize("worst", ["1 " * 20000, "1-" * 20000, "１" * 40000, "13812345678 " * 3000, "0" * 40000])
def test_masking_worst_inputs_take_linear_time(worst):
    """The whole input may take about 4 × its first quarter (× 3 for a busy machine), a ratio measured in the same
    run: a quadratic scan would take 16 ×. (It was a second on the clock, which a slow machine missed.)"""
    from tests.timing import best_time

    quarter = worst[:len(worst) // 4]
    mask_personal(quarter)  # warm caches
    for _ in range(3):  # a real quadratic fails every attempt; a busy machine rarely slows all three
        short, long = best_time(mask_personal, quarter), best_time(mask_personal, worst)
        if long <= 4 * 3.0 * short + 0.005:
            break
    assert long <= 4 * 3.0 * short + 0.005, (short, long)
    assert len(mask_personal(worst)) == len(worst)
