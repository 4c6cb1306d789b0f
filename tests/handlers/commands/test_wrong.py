"""/wrong N KIND [SUBTYPE] (误判) through the real app: a false alarm closes the case as 误报 and corrects the bot's
public word once; a wrong kind re-routes the case to the right people; only the police of the case's grid (and
admins) may correct; every correction is stored with the message's masked words."""
from __future__ import annotations

import pytest

from bot.keys import ENGINE
from handlers import texts
from storage import corrections
from storage.db import session as new_session

pytestmark = pytest.mark.postgres

SCAM = "有人在群里发刷单返利的广告，说日赚三百，先垫付，联系电话13912345678"
NOISE = "楼上邻居天天晚上拖椅子 吵得睡不着 物业也不管"


async def report(bot, text: str, chat: str = "grid-2", sender: str = "resident-7", **kwargs) -> int:  # noqa: ANN001
    await bot.talk(chat, sender, text, **kwargs)
    _, rows = await bot.api("/api/cases")
    return rows[0]["id"]


async def case_of(bot, case_id: int) -> dict:  # noqa: ANN001
    return (await bot.api(f"/api/cases/{case_id}"))[1]


async def officer(bot, text: str, who: str = "officer-2") -> list[dict]:  # noqa: ANN001
    return await bot.talk(who, who, text, direct=True)


def stored(bot) -> list:  # noqa: ANN001
    with new_session(bot.app[ENGINE]) as session:
        return list(corrections.iter_corrections(session))


async def test_false_alarm_after_a_public_warning_closes_the_case_and_corrects_once(bot):
    case_id = await report(bot, SCAM)
    group = await bot.sent("grid-2")
    assert group and (await case_of(bot, case_id))["kind"] == "fraud", "the bot warned the group"
    sent = await officer(bot, f"/误判 {case_id} 误报 广告是物业发的")
    case = await case_of(bot, case_id)
    assert (case["status"], case["outcome"]) == ("closed", "误报")
    assert case["events"][-1]["action"] == "marked_wrong" and "广告是物业发的" in case["events"][-1]["detail"]
    new_in_group = (await bot.sent("grid-2"))[len(group):]
    assert [m["text"] for m in new_in_group] == [texts.CORRECTION_NOTICE]
    assert [m["chat_id"] for m in sent if m["chat_id"] != "grid-2"] == ["officer-2"]
    assert "已在群里发了一条更正" in sent[-1]["text"]
    [row] = stored(bot)
    assert (row.case_id, row.original_intent, row.original_scam_type, row.intent, row.officer_id) == \
        (case_id, "fraud", case["scam_type"], "chatter", "officer-2")
    assert row.message_id is not None and "139****5678" in row.text and "13912345678" not in row.text


async def test_false_alarm_without_a_public_word_posts_nothing_in_any_group(bot):
    case_id = await report(bot, NOISE, chat="resident-elder", sender="resident-elder", direct=True)
    assert (await case_of(bot, case_id))["group_id"] is None, "a resident writing to the bot directly"
    before = await bot.sent()
    sent = await officer(bot, f"/wrong {case_id} false alarm", who="duty-1")
    assert [(m["chat_id"], m["text"]) for m in sent] == [("duty-1", texts.WRONG_CLOSED.format(case=case_id))]
    assert len(await bot.sent()) == len(before) + 1
    assert (await case_of(bot, case_id))["outcome"] == "误报"
    assert [r.intent for r in stored(bot)] == ["chatter"]


async def test_fraud_read_wrongly_becomes_a_dispute_with_its_mediator_and_the_warning_is_withdrawn(bot):
    case_id = await report(bot, SCAM)
    assert (await case_of(bot, case_id))["kind"] == "fraud"
    group_before = await bot.sent("grid-2")
    sent = await officer(bot, f"/误判 {case_id} 纠纷 噪音 其实是楼上吵", who="admin-1")
    case = await case_of(bot, case_id)
    assert (case["kind"], case["subtype"], case["scam_type"], case["mediator_id"], case["assignee_id"]) == \
        ("dispute", "noise", None, "mediator-property", "officer-2")
    assert case["status"] == "assigned" and case["events"][-1]["action"] == "rerouted"
    assert case["events"][-1]["detail"] == "反诈预警/刷单返利 → 矛盾纠纷/噪音扰民：其实是楼上吵"
    told = {m["chat_id"]: m["text"] for m in sent}
    assert "类型更正" in told["mediator-property"] and "类型更正" in told["officer-2"], "mediator and officer told"
    assert "噪音扰民" in told["admin-1"] and "刘管家" in told["admin-1"]
    new_in_group = [m["text"] for m in (await bot.sent("grid-2"))[len(group_before):]]
    assert new_in_group == [texts.CORRECTION_FRAUD_NOTICE], "the warning withdrawn, no dispute acknowledgement"
    [row] = stored(bot)
    assert (row.original_intent, row.original_scam_type, row.intent, row.subtype, row.scam_type) == \
        ("fraud", "rebate_task", "dispute", "noise", None)


async def test_a_public_fraud_warning_is_withdrawn_when_the_case_is_no_fraud(bot):
    case_id = await report(bot, SCAM)
    group_before = await bot.sent("grid-2")
    await officer(bot, f"/wrong {case_id} 咨询")
    assert [m["text"] for m in (await bot.sent("grid-2"))[len(group_before):]] == [texts.CORRECTION_FRAUD_NOTICE]
    assert (await case_of(bot, case_id))["kind"] == "inquiry"


async def test_a_dispute_that_was_a_call_for_help_takes_the_help_path(bot):
    case_id = await report(bot, NOISE)
    mediator = (await case_of(bot, case_id))["mediator_id"]
    group_before = await bot.sent("grid-2")
    sent = await officer(bot, f"/wrong {case_id} 求助 楼上老人摔倒了")
    case = await case_of(bot, case_id)
    assert (case["kind"], case["subtype"], case["urgent"], case["mediator_id"]) == ("help", None, True, None)
    new_in_group = (await bot.sent("grid-2"))[len(group_before):]
    assert [m["text"] for m in new_in_group] == [texts.HELP_ACK.format(officer="李警官")]
    assert new_in_group[0]["mentions"], "the resident is mentioned"
    told = {m["chat_id"]: m["text"] for m in sent}
    assert "类型更正" in told["duty-1"] and "紧急求助" in told["duty-1"]
    assert mediator and "不再需要您调解" in told[mediator]
    assert "acknowledged" in [e["action"] for e in case["events"]], "the correcting officer has it in hand"


async def test_a_subtype_correction_moves_the_dispute_to_the_right_mediator(bot):
    case_id = await report(bot, NOISE)
    sent = await officer(bot, f"/wrong {case_id} 纠纷 家庭纠纷")
    case = await case_of(bot, case_id)
    assert (case["kind"], case["subtype"]) == ("dispute", "family")
    assert "家庭纠纷" in sent[-1]["text"]
    assert (await officer(bot, f"/wrong {case_id} 纠纷 家庭"))[0]["text"] == \
        texts.WRONG_SAME.format(case=case_id, type="矛盾纠纷/家庭纠纷")
    assert len(stored(bot)) == 1, "a correction that changes nothing is not stored"


@pytest.mark.parametrize("who, refusal", [
    ("worker-2", "只有"), ("mediator-property", "只有"), ("officer-1", "不属于您负责的网格"),
])
async def test_only_the_police_of_the_cases_grid_may_correct(bot, who, refusal):
    case_id = await report(bot, NOISE)
    sent = await officer(bot, f"/wrong {case_id} 误报", who=who)
    assert len(sent) == 1 and refusal in sent[0]["text"]
    assert (await case_of(bot, case_id))["status"] == "assigned" and stored(bot) == []


async def test_a_resident_may_not_correct(bot):
    case_id = await report(bot, NOISE)
    sent = await bot.talk("grid-2", "resident-7", f"/误判 {case_id} 误报")
    assert len(sent) == 1 and "只有" in sent[0]["text"] and stored(bot) == []


async def test_an_unknown_case_is_told(bot):
    sent = await officer(bot, "/误判 999 误报")
    assert len(sent) == 1 and "没有找到999号" in sent[0]["text"]


@pytest.mark.parametrize("args", ["{id} 乱说", "{id}", "abc 误报", "", "{id} 纠纷 火星人", "{id} 诈骗 噪音"])
async def test_a_bad_kind_gets_the_chinese_usage(bot, args):
    case_id = await report(bot, NOISE)
    sent = await officer(bot, ("/wrong " + args.format(id=case_id)).strip())
    assert len(sent) == 1 and sent[0]["text"] == texts.WRONG_USAGE
    assert "类型：误报、纠纷、咨询、诈骗、求助、闲聊" in sent[0]["text"]
    assert (await case_of(bot, case_id))["status"] == "assigned"


async def test_a_closed_case_cannot_be_rerouted_but_says_why(bot):
    case_id = await report(bot, NOISE)
    await officer(bot, f"/close {case_id} 已处理")
    sent = await officer(bot, f"/wrong {case_id} 咨询")
    assert sent[0]["text"] == f"{case_id}号当前状态为“已结案”，不能更正类型。"
    assert stored(bot) == []


async def test_stats_show_the_false_alarm_rate_per_kind(bot):
    scam = await report(bot, SCAM)
    noise = await report(bot, NOISE, sender="resident-8")
    await report(bot, "我家孩子的户口怎么迁过来 要带什么材料", sender="resident-9")
    await officer(bot, f"/误判 {scam} 误报")
    await officer(bot, f"/误判 {noise} 求助")
    text = (await officer(bot, "/统计 grid-2"))[0]["text"]
    assert "助手误判：" in text
    assert "反诈预警误报率100%（1/1），更正类型0件" in text
    assert "矛盾纠纷误报率0%（0/1），更正类型1件" in text, "counted under the kind the bot opened it as"
