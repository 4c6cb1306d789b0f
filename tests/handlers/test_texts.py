"""The catalogue of user text: every code has a Chinese name, and the scanner that keeps codes out works."""
from __future__ import annotations

import pytest

from handlers import texts
from handlers.cases import flow
from handlers.nlu.label import SCAM_TYPES, SUBTYPES
from storage.models import Kind, Level, Role, Status
from tests.factories import internal_codes


@pytest.mark.parametrize("names, codes", [
    (texts.STATUS_NAMES, Status), (texts.KIND_NAMES, Kind), (texts.ROLE_NAMES, Role), (texts.LEVEL_NAMES, Level),
    (texts.SUBTYPE_NAMES, SUBTYPES), (texts.SCAM_TYPE_NAMES, SCAM_TYPES),
])
def test_every_code_has_a_chinese_name(names, codes):
    assert set(names) == {str(c) for c in codes}


def test_every_event_the_state_machine_writes_has_a_name():
    assert {m.event for m in flow.MOVES.values()} <= set(texts.EVENT_NAMES)
    assert set(flow.MOVES) <= set(texts.ACTION_NAMES)


@pytest.mark.parametrize("text, quoted, expected", [
    ("3号 [矛盾纠纷] in_progress", [], ["in_progress"]),
    ("11-02 李警官 opened", [], ["opened"]),
    ("请回复 /take 3，或联系 officer-2，详见 https://example.org/a_b", [], []),
    ("原话：楼上wifi太吵", ["楼上wifi太吵"], []),
    ("用法：/broadcast 目标 内容（或 all/全部）", [], []),
])
def test_internal_code_scanner(text, quoted, expected):
    assert internal_codes(text, quoted) == expected
