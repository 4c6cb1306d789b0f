"""Entity extraction (phones, ID cards, money, rooms, times); masking personal numbers is handlers/privacy.py."""
from __future__ import annotations

import re

from handlers.nlu.label import Entities

MAX_CHARS = 2000  # read at most this much (the classifier hands over at most 1,000): work per message is bounded
_CN_DIGIT = "零〇一二两三四五六七八九十几"
_CN_NUM = _CN_DIGIT + "百千"

ID_CARD = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
PHONE = re.compile(
    r"(?<![0-9A-Za-z*])(?:"
    r"1[3-9]\d[\d*]{4}\d{4}"  # mobile, possibly masked: 159****3308
    r"|1[3-9]\d[ -]\d{4}[ -]\d{4}"  # mobile with separators: 138 1234 5678
    r"|0\d{2,3}-[\d*]{7,8}"  # landline: 021-6***5118
    r"|[48]00-?[\d*]{3}-?[\d*]{4}"  # hotline: 400-8**-6637
    r")(?![0-9*])"
)
# Every quantifier is bounded and every run starts where a run of its kind starts (a look-behind), so each
# pattern costs O(length of text x a small constant): no nested or overlapping quantifiers can backtrack.
_NUM = r"(?<![\d.])\d{1,12}(?:\.\d{1,4})?"  # an Arabic number, matched only from its first digit
AMOUNT = re.compile(
    r"[¥￥]\s?\d{1,12}(?:\.\d{1,4})?"
    rf"|{_NUM}万\d?(?:多|余)?(?:元|块钱|块)?"
    rf"|{_NUM}(?:多|余)?(?:元|块钱|块|千块|千元)"
    r"|(?<=转了|付了|交了|充了|垫了|投了|借了|骗了|转过|打了|汇了)\d{3,12}(?![\d*])"
    rf"|(?<![{_CN_NUM}])(?=[{_CN_NUM}]{{0,11}}[{_CN_DIGIT}])[{_CN_NUM}]{{1,12}}(?:多|余)?(?:万[{_CN_DIGIT}]?|元|块钱|块)(?!一)"
)
_N = rf"(?<![\d{_CN_DIGIT}])[\d{_CN_DIGIT}]{{1,6}}"
_M = rf"[\d{_CN_DIGIT}]{{1,6}}"
ROOM = re.compile(
    rf"{_N}(?:号楼|栋|幢|座)(?:{_M}单元)?(?:\d{{3,4}}(?:室|房|号)?|{_M}楼|{_M}号)?"
    r"|(?<![\d-])\d{1,2}-\d{1,2}-\d{3,4}(?![\d-])"
)
_DAY = r"(?:今天|明天|后天|昨天|前天|大前天|今晚|昨晚|明晚|今早|明早|昨早|今天早上|周[一二三四五六日天]|礼拜[一二三四五六天日]|星期[一二三四五六天日])"
_PERIOD = r"(?:上午|下午|中午|晚上|早上|凌晨|半夜|傍晚|夜里|早晨|清早)"
_CLOCK = rf"(?:\d{{1,2}}[:：]\d{{2}}|[\d{_CN_DIGIT}]{{1,3}}[点时](?:半|[\d{_CN_DIGIT}]{{1,3}}分?)?)"
TIME = re.compile(
    rf"(?:(?<!\d)\d{{4}}年)?(?<!\d)\d{{1,2}}月\d{{1,2}}[日号]?"
    rf"|{_DAY}{_PERIOD}?{_CLOCK}?"
    rf"|{_PERIOD}{_CLOCK}"
    rf"|(?<![\d{_CN_DIGIT}])\d{{1,2}}[点:][\d半]{{0,2}}(?:分)?(?![\d栋号楼单万元块])"
)


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.strip() for item in items if item.strip()))


def extract_entities(text: str) -> Entities:
    """Find entities in an already normalised text (half-width digits, simplified characters); only its first
    MAX_CHARS characters are read."""
    text = text[:MAX_CHARS]
    id_cards = _unique(m.group() for m in ID_CARD.finditer(text))
    rest = ID_CARD.sub(" ", text)
    phones = _unique(m.group() for m in PHONE.finditer(rest))
    rest = PHONE.sub(" ", rest)
    return Entities(
        phones=phones,
        id_cards=id_cards,
        amounts=_unique(m.group() for m in AMOUNT.finditer(rest)),
        rooms=_unique(m.group() for m in ROOM.finditer(rest)),
        times=_unique(m.group() for m in TIME.finditer(rest)),
    )
