"""Reading an officer's correction (/wrong N KIND [SUBTYPE] [WHY]): a table of what officers type, and properties
over any words (a verdict names known codes only, or there is none; the console's command reads back the same)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers import texts
from handlers.cases.correcting import INTENTS, Verdict, command_text, parse_verdict


@pytest.mark.parametrize("typed, expected", [
    ("误报", Verdict("chatter")),
    ("误报 邻居开玩笑 不用管", Verdict("chatter", reason="邻居开玩笑 不用管")),
    ("闲聊", Verdict("chatter")),
    ("false alarm", Verdict("chatter")),
    ("chatter", Verdict("chatter")),
    ("纠纷", Verdict("dispute")),
    ("纠纷 噪音", Verdict("dispute", subtype="noise")),
    ("纠纷 噪音扰民 楼上", Verdict("dispute", subtype="noise", reason="楼上")),
    ("dispute landlord_tenant", Verdict("dispute", subtype="landlord_tenant")),
    ("矛盾纠纷 租赁", Verdict("dispute", subtype="landlord_tenant")),
    ("诈骗 刷单", Verdict("fraud", scam_type="rebate_task")),
    ("诈骗 冒充公检法", Verdict("fraud", scam_type="impersonate_authority")),
    ("fraud romance", Verdict("fraud", scam_type="romance")),
    ("咨询 其实在问户口", Verdict("inquiry", reason="其实在问户口")),
    ("求助", Verdict("help")),
    ("紧急求助 老人摔倒", Verdict("help", reason="老人摔倒")),
    ("乱说", None), ("纠纷 火星人", None), ("诈骗 噪音", None), ("", None), ("false", Verdict("chatter")),
])
def test_what_officers_type_is_read_as(typed, expected):
    assert parse_verdict(typed.split()) == expected


WORDS = st.lists(st.one_of(st.sampled_from([*texts.CORRECTION_KIND_WORDS, *texts.CORRECTION_SUBTYPE_WORDS,
                                            *texts.CORRECTION_SCAM_WORDS, *texts.SUBTYPE_NAMES, "alarm"]),
                           st.text(min_size=1, max_size=6).filter(lambda w: not any(c.isspace() for c in w))),
                 max_size=5)


@given(WORDS)
def test_a_verdict_names_only_known_codes(words):
    verdict = parse_verdict(words)
    if verdict is not None:
        assert verdict.intent in INTENTS
        assert verdict.subtype is None or (verdict.intent == "dispute" and verdict.subtype in texts.SUBTYPE_NAMES)
        assert verdict.scam_type is None or (verdict.intent == "fraud" and verdict.scam_type in texts.SCAM_TYPE_NAMES)


@given(st.sampled_from([k for k, _ in texts.WRONG_CONSOLE_KINDS]),
       st.sampled_from(["", *texts.SUBTYPE_NAMES, *texts.SCAM_TYPE_NAMES]), st.text(max_size=30))
def test_the_consoles_command_reads_back_as_its_kind_with_the_note(kind, subtype, note):
    line = command_text(12, kind, subtype, note)
    assert line.startswith("/wrong 12 ")
    verdict = parse_verdict(line.split()[2:])
    if verdict is None:  # only a subtype of the other kind (a scam type for a dispute) is refused
        assert subtype and texts.CORRECTION_KIND_WORDS[kind] in ("dispute", "fraud")
        return
    assert verdict.intent == texts.CORRECTION_KIND_WORDS[kind]
    assert verdict.reason == " ".join(note.split())
