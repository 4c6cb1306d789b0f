"""A resident follows their own case: “9号进度”, “我上次反映的问题怎么样了”, /进度 9 — the reporter only, public
steps only; a short status in the group, the details in a direct chat."""
from __future__ import annotations

import pytest

from handlers.commands.progress import LATEST, parse_query

NOISE = "楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301"


@pytest.mark.parametrize("text, asked", [
    ("我上次反映的问题怎么样了", LATEST), ("我前几天投诉的那个事怎么还没人处理", LATEST),
    ("9号进度", 9), ("我上次反映的9号问题处理得怎么样了？", 9), ("进度 12", 12), ("12号的事有人管吗", 12),
    ("报案后怎么查进度", None), ("网上办的业务进度怎么查", None), ("我的身份证进度怎么查", None),
    ("9号楼的噪音还是很吵", None), ("我住3号楼，楼道灯坏了怎么处理", None), ("楼上10号晚上又吵到半夜，怎么处理", None),
])
def test_progress_queries_are_told_from_other_messages(text, asked):
    assert parse_query(text) == asked


async def open_noise_case(bot) -> int:  # noqa: ANN001
    await bot.talk("grid-2", "resident-7", NOISE)
    _, cases = await bot.api("/api/cases")
    return cases[0]["id"]


@pytest.mark.postgres
async def test_the_reporter_gets_a_short_status_in_the_group_and_details_directly(bot):
    case = await open_noise_case(bot)
    await bot.talk("officer-2", "officer-2", f"/note {case} 内部：当事人有前科，注意方式", direct=True)
    await bot.talk("officer-2", "officer-2", f"/reply {case} 明天上午我上门了解情况", direct=True)
    sent = await bot.talk("grid-2", "resident-7", f"我上次反映的{case}号问题处理得怎么样了？")
    group = [m for m in sent if m["chat_id"] == "grid-2"]
    direct = [m for m in sent if m["chat_id"] == "resident-7"]
    assert len(group) == 1 and group[0]["mentions"] == ["resident-7"]
    assert f"{case}号" in group[0]["text"] and "处理中" in group[0]["text"] and "私信" in group[0]["text"]
    assert "噪音" not in group[0]["text"] and "上门" not in group[0]["text"]  # no details in the group
    assert len(direct) == 1 and "明天上午我上门了解情况" in direct[0]["text"] and "噪音扰民" in direct[0]["text"]
    assert all("前科" not in m["text"] for m in sent)  # internal notes never reach the resident


@pytest.mark.postgres
async def test_another_residents_case_is_never_shown(bot):
    case = await open_noise_case(bot)
    for text in (f"{case}号进度", f"/进度 {case}", "/progress 999"):
        sent = await bot.talk("grid-2", "resident-8", text)
        assert len(sent) == 1 and "没有查到" in sent[0]["text"] and "蹦迪" not in sent[0]["text"]


async def test_the_slash_command_and_latest_case_in_a_direct_chat(bot):
    case = await open_noise_case(bot)
    sent = await bot.talk("resident-7", "resident-7", f"/进度 {case}", direct=True)
    assert len(sent) == 1 and f"【{case}号进度】" in sent[0]["text"] and "李警官" in sent[0]["text"]
    sent = await bot.talk("resident-7", "resident-7", "/进度", direct=True)
    assert f"【{case}号进度】" in sent[0]["text"]
    await bot.talk("officer-2", "officer-2", f"/resolve {case} 双方协商，晚上十点后不再放音乐", direct=True)
    sent = await bot.talk("resident-7", "resident-7", "我上次反映的问题怎么样了", direct=True)
    assert "已化解" in sent[0]["text"] and "十点后不再放音乐" in sent[0]["text"]


async def test_nothing_reported_yet(bot):
    sent = await bot.talk("grid-1", "resident-1", "我上次反映的问题怎么样了")
    assert "没有查到您反映过的事项" in sent[0]["text"]
    sent = await bot.talk("grid-1", "resident-1", "/progress 两号")
    assert sent[0]["text"].startswith("用法：")
