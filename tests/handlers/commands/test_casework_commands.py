"""Officer and mediator commands that move a case, through the real app: roles, unknown cases,
invalid transitions, aliases, /mine and /stats."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.postgres

NOISE = "楼上邻居天天晚上拖椅子 吵得睡不着 物业也不管"


async def open_dispute(bot, chat="grid-2", sender="resident-7", text=NOISE) -> int:
    await bot.talk(chat, sender, text)
    _, cases = await bot.api("/api/cases")
    return cases[0]["id"]


async def case_of(bot, case_id):
    _, case = await bot.api(f"/api/cases/{case_id}")
    return case


async def test_take_then_resolve_then_close_is_audited(bot):
    case_id = await open_dispute(bot)
    sent = await bot.talk("officer-2", "officer-2", f"/接单 {case_id}", direct=True)
    assert "已接单" in sent[0]["text"]
    sent = await bot.talk("officer-2", "officer-2", f"/化解 {case_id} 双方协商，晚上十点后不再拖椅子", direct=True)
    assert any("已化解" in m["text"] for m in sent if m["chat_id"] == "officer-2")
    assert any("已化解" in m["text"] for m in sent if m["chat_id"] == "resident-7")
    case = await case_of(bot, case_id)
    assert case["status"] == "resolved" and case["resolved_at"] and case["outcome"].startswith("双方协商")
    actions = [e["action"] for e in case["events"]]
    assert actions == ["opened", "assigned", "taken", "resolved"]
    await bot.talk("officer-2", "officer-2", f"/close {case_id} 回访满意", direct=True)
    assert (await case_of(bot, case_id))["status"] == "closed"


@pytest.mark.parametrize("command", ["take", "assign {id} officer-1", "note {id} 看过了", "resolve {id} 好了",
                                     "reopen {id} 再看看", "escalate {id} 太难", "hard {id}", "stats",
                                     "broadcast all 注意防骗", "confirm 1"])
async def test_resident_is_refused_every_case_command(bot, command):
    case_id = await open_dispute(bot)
    text = "/" + command.format(id=case_id) + ("" if "{id}" in command or " " in command else f" {case_id}")
    sent = await bot.talk("grid-2", "resident-7", text)
    assert len(sent) == 1 and "只有" in sent[0]["text"]
    case = await case_of(bot, case_id)
    assert case["status"] == "assigned" and len(case["events"]) == 2


@pytest.mark.parametrize("command", ["take 999", "note 999 x", "resolve 999 x", "reopen 999 x", "escalate 999 x",
                                     "hard 999", "assign 999 officer-1"])
async def test_unknown_case_is_told(bot, command):
    sent = await bot.talk("officer-2", "officer-2", "/" + command, direct=True)
    assert len(sent) == 1 and "没有找到999号" in sent[0]["text"]


@pytest.mark.parametrize("command", ["take", "note", "resolve", "reopen", "escalate", "assign", "hard"])
async def test_bad_usage_is_answered_with_usage(bot, command):
    sent = await bot.talk("officer-2", "officer-2", f"/{command} abc", direct=True)
    assert len(sent) == 1 and sent[0]["text"].startswith("用法：")


async def test_invalid_transitions_name_the_current_status(bot):
    case_id = await open_dispute(bot)
    sent = await bot.talk("officer-2", "officer-2", f"/reopen {case_id} 再看看", direct=True)
    assert sent[0]["text"] == f"{case_id}号当前状态为“已指派”，不能重新打开。"
    await bot.talk("officer-2", "officer-2", f"/resolve {case_id} 已调解", direct=True)
    for command, action in (("resolve {id} 再化解", "化解"), ("take {id}", "接单"), ("escalate {id} x", "上报"),
                            ("hard {id}", "标记疑难"), ("assign {id} officer-1", "指派")):
        sent = await bot.talk("officer-2", "officer-2", "/" + command.format(id=case_id), direct=True)
        assert sent[0]["text"] == f"{case_id}号当前状态为“已化解”，不能{action}。"
    sent = await bot.talk("officer-2", "officer-2", f"/reopen {case_id} 居民说还在吵", direct=True)
    assert "已重新打开" in sent[0]["text"]
    case = await case_of(bot, case_id)
    assert case["status"] == "assigned" and case["resolved_at"] is None
    assert case["events"][-1]["action"] == "reopened"


async def test_assign_by_name_tells_the_new_assignee(bot):
    case_id = await open_dispute(bot)
    sent = await bot.talk("officer-2", "officer-2", f"/转派 {case_id} 张警官", direct=True)
    assert any(m["chat_id"] == "officer-1" and f"{case_id}号" in m["text"] for m in sent)
    case = await case_of(bot, case_id)
    assert case["assignee_id"] == "officer-1" and case["events"][-1]["action"] == "transferred"
    sent = await bot.talk("officer-2", "officer-2", f"/assign {case_id} 不存在的人", direct=True)
    assert "没有找到“不存在的人”" in sent[0]["text"]


async def test_mediator_acts_only_on_own_cases(bot):
    case_id = await open_dispute(bot)  # noise → mediator-property
    sent = await bot.talk("mediator-building", "mediator-building", f"/note {case_id} 我去看看", direct=True)
    assert "不是您负责调解的案件" in sent[0]["text"]
    sent = await bot.talk("mediator-property", "mediator-property", f"/note {case_id} 已约双方周六面谈", direct=True)
    assert any(m["chat_id"] == "mediator-property" and "已为" in m["text"] for m in sent)
    sent = await bot.talk("mediator-property", "mediator-property", f"/reopen {case_id} x", direct=True)
    assert "只有" in sent[0]["text"]
    case = await case_of(bot, case_id)
    assert (case["events"][-1]["action"], case["events"][-1]["actor_id"]) == ("note", "mediator-property")


async def test_grid_worker_may_add_notes_but_not_resolve(bot):
    case_id = await open_dispute(bot)
    sent = await bot.talk("worker-2", "worker-2", f"/备注 {case_id} 已上门了解，楼上有小孩", direct=True)
    assert any(m["chat_id"] == "worker-2" and "已为" in m["text"] for m in sent)
    assert any(m["chat_id"] == "officer-2" and "已上门了解" in m["text"] for m in sent)
    sent = await bot.talk("worker-2", "worker-2", f"/resolve {case_id} 好了", direct=True)
    assert "只有" in sent[0]["text"]
    case = await case_of(bot, case_id)
    assert case["status"] == "assigned" and case["events"][-1]["action"] == "note"


async def test_escalate_goes_grid_community_station_then_stops(bot):
    case_id = await open_dispute(bot)
    sent = await bot.talk("officer-2", "officer-2", f"/上报 {case_id} 多次调解无果", direct=True)
    assert any(m["chat_id"] == "mediator-community" for m in sent)
    assert any(m["chat_id"] == "duty-1" for m in sent)
    case = await case_of(bot, case_id)
    assert case["level"] == "community" and case["mediator_id"] == "mediator-community"
    await bot.talk("officer-2", "officer-2", f"/escalate {case_id} 涉及刑事", direct=True)
    assert (await case_of(bot, case_id))["level"] == "station"
    sent = await bot.talk("officer-2", "officer-2", f"/escalate {case_id} 再上报", direct=True)
    assert "不能再上报" in sent[0]["text"]
    events = [e for e in (await case_of(bot, case_id))["events"] if e["action"] == "escalated"]
    assert [e["detail"][:6] for e in events] == ["网格→社区：", "社区→派出所"]


async def test_hard_marks_case_for_friday_agenda(bot):
    case_id = await open_dispute(bot)
    await bot.talk("officer-2", "officer-2", f"/疑难 {case_id}", direct=True)
    assert (await case_of(bot, case_id))["hard"] is True
    sent = await bot.talk("officer-2", "officer-2", f"/hard {case_id}", direct=True)
    assert "已经是疑难案件" in sent[0]["text"]


async def test_mine_lists_open_cases_of_the_sender(bot):
    case_id = await open_dispute(bot)
    sent = await bot.talk("officer-2", "officer-2", "/我的案件", direct=True)
    assert f"{case_id}号" in sent[0]["text"] and "噪音" in sent[0]["text"]
    sent = await bot.talk("officer-1", "officer-1", "/mine", direct=True)
    assert "没有未结案件" in sent[0]["text"]


async def test_stats_by_kind_status_and_rates(bot):
    first = await open_dispute(bot)
    await open_dispute(bot, chat="grid-1", sender="resident-1", text="对门邻居天天把垃圾堆在楼道里 臭死了 说了也不听")
    await bot.talk("officer-2", "officer-2", f"/resolve {first} 已调解", direct=True)
    sent = await bot.talk("officer-2", "officer-2", "/统计", direct=True)
    text = sent[0]["text"]
    assert "全部网格" in text and "共2件" in text and "化解率：50%（1/2）" in text and "矛盾纠纷：2件" in text
    sent = await bot.talk("officer-2", "officer-2", "/stats grid-2", direct=True)
    assert "共1件" in sent[0]["text"] and "100%" in sent[0]["text"]
    sent = await bot.talk("officer-2", "officer-2", "/stats grid-9", direct=True)
    assert "没有编号为 grid-9 的网格" in sent[0]["text"]


async def test_station_card_answers_anyone_in_the_group(bot):
    sent = await bot.talk("grid-1", "resident-1", "/station")
    [card] = [m["text"] for m in sent if m["chat_id"] == "grid-1"]
    assert card.startswith("【幸福里派出所】") and "0571-00000000" in card and "110" in card


async def test_station_card_has_a_chinese_alias(bot):
    sent = await bot.talk("grid-2", "resident-7", "/派出所")
    assert any(m["text"].startswith("【幸福里派出所】") for m in sent if m["chat_id"] == "grid-2")
