"""The issue's week: the demo roster imported from docs/examples/households.xlsx, a fake clock walked through a
week with the real scheduler (minute timers and the 08:30 daily digest). The check-ins go out on schedule, a
missed one goes to the caretaker and then the officer, a dissuasion task is escalated when late and closed with
an outcome, and the coverage in /stats matches the visits recorded; each day's steps are in the next digest."""
from __future__ import annotations

import pytest

from bot.keys import ENGINE
from tests.bot.scheduling.test_scheduler_support import SHANGHAI, local, sent_rows, tick

pytestmark = pytest.mark.postgres
WARNING = "反诈中心预警：该号码今日与诈骗号码通话3次，疑似冒充公检法要求转账"


def script() -> dict:
    """(day of November, "HH:MM") → what people do then. 王秀英 answers every day but Tuesday."""
    acts: dict = {}
    for day in range(2, 9):
        if day != 3:
            acts.setdefault((day, "09:30"), []).append(("resident-wang", "1", True))
        if day > 2:
            acts.setdefault((day, "08:30"), []).append(("resident-liu", "平安", True))
    for day in (2, 4, 6):  # 李建国 has no WeChat: his caretaker looks in on Mon, Wed, Fri
        acts.setdefault((day, "10:30"), []).append(("worker-1", "/checkin 李建国 ok", True))
    acts.setdefault((2, "11:00"), []).append(("officer-1", f"/dissuade 13900000101 {WARNING}", True))
    acts.setdefault((2, "11:30"), []).append(("worker-1", "/dissuaded 1 已见面劝阻成功 老人已拉黑对方号码", True))
    acts.setdefault((2, "14:00"), []).append(("worker-1", "/visit g1-0101 反诈宣传 已装APP 讲解冒充公检法诈骗", True))
    acts.setdefault((3, "15:00"), []).append(("officer-1", "/visit g1-0302 反诈宣传 未装APP 老人无智能手机", True))
    acts.setdefault((3, "16:00"), []).append(("worker-1", "/checkin 王秀英 ok 上门看过，手机没电了", True))
    acts.setdefault((4, "10:00"), []).append(("worker-2", "/visit g2-0801 反诈宣传 已装APP", True))
    acts.setdefault((5, "15:00"), []).append(("officer-1", "/visit g1-0501 走访入户 留守儿童学习情况良好", True))
    return acts


async def test_a_week_with_the_demo_roster(roster, clock):
    acts = script()
    end = local(2026, 11, 9, 9, 0)
    while clock.now() < end:
        await tick(roster)
        when = clock.now().astimezone(SHANGHAI)
        for who, text, direct in acts.get((when.day, when.strftime("%H:%M")), []):
            await roster.talk(who, who, text, direct=direct)
        clock.advance(minutes=30)
    engine = roster.app[ENGINE]

    questions = [r for r in sent_rows(engine, chat_id="resident-wang") if "今天身体还好吗" in r.text]
    assert len(questions) == 7  # Monday to Sunday, 09:00
    liu = [r for r in sent_rows(engine, chat_id="resident-liu") if "今天身体还好吗" in r.text]
    assert len(liu) == 7  # 08:00: Monday's came before the sheet was imported; Tuesday to the next Monday
    look_ins = [r for r in sent_rows(engine, chat_id="worker-1") if r.text.startswith("【平安探访】李建国")]
    assert [r.created_at for r in look_ins] == [local(2026, 11, d, 10, 0) for d in (2, 4, 6)]

    # Tuesday: no answer → the caretaker at 12:00 → the officer at 15:00 → the caretaker's visit at 16:00
    [to_caretaker] = [r for r in sent_rows(engine, chat_id="worker-1") if r.text.startswith("【平安探访未回复】王秀英")]
    [to_officer] = [r for r in sent_rows(engine, chat_id="officer-1") if r.text.startswith("【平安探访·请民警关注】王秀英")]
    assert (to_caretaker.created_at, to_officer.created_at) == (local(2026, 11, 3, 12, 0), local(2026, 11, 3, 15, 0))

    digests = {r.created_at: r.text for r in sent_rows(engine, kind="digest", chat_id="officer-1")}
    wednesday = digests[local(2026, 11, 4, 8, 30)]
    assert "王秀英（户g1-0101）11-03 09:00：09:00询问 → 12:00请照护人看望 → 15:00报告民警 → 16:00确认平安" in wednesday
    tuesday = digests[local(2026, 11, 3, 8, 30)]
    assert "李建国（户g1-0302）11-02 10:00：10:00请照护人看望 → 10:30确认平安" in tuesday
    assert "· 任务1号 王秀英：已见面劝阻成功" in tuesday
    assert "第一网格（1-6栋）：已走访 1/4户（25.0%），已装APP 1/4户（25.0%）" in tuesday
    assert "本周您已入户走访0天，目标1天" in tuesday  # the worker visited on Monday, not the officer
    assert "本周您已入户走访2天，目标1天" in digests[local(2026, 11, 6, 8, 30)]  # Tuesday and Thursday
    assert len(digests) == 7 and all("1栋1单元101" not in t and "13900000101" not in t for t in digests.values())

    # the dissuasion task: given at 11:00, late at 11:30 (duty officer told), closed right after with its outcome
    late = [r for r in sent_rows(engine, chat_id="duty-1") if r.text.startswith("【劝阻超时】任务1号")]
    assert [r.created_at for r in late] == [local(2026, 11, 2, 11, 30)]

    [stats] = [m["text"] for m in await roster.talk("officer-1", "officer-1", "/stats", direct=True)]
    assert "幸福里派出所：已走访 3/9户（33.3%），已装APP 2/9户（22.2%）" in stats
    assert "第一网格（1-6栋）：已走访 2/4户（50.0%），已装APP 1/4户（25.0%）" in stats
    assert "第二网格（7-12栋）：已走访 1/3户（33.3%），已装APP 1/3户（33.3%）" in stats
    assert "第三网格（沿街商铺）：已走访 0/2户（0.0%），已装APP 0/2户（0.0%）" in stats
    assert "预警劝阻：1件，已反馈1件，劝阻成功率100%（1/1）（未见到人0，已报警0），超时1件，待反馈0件" in stats
    # 7 of 王秀英's, 7 of 刘淑芬's (the last still waiting for her answer), 3 of 李建国's by his caretaker
    assert "平安探访（近7天）：询问17人次，平安16，求助0，请照护人看望4，报告民警1" in stats

