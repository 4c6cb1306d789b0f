"""Flood and loop control: repeats join the first case, one fraud warning per scam type per group per window, help
calls coalesce per incident, the bot never handles its own words or echoes of them, and a loop of bots cannot
exceed the group's public reply budget."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from bot.keys import ENGINE, PIPELINE
from handlers import budget, flood
from handlers.intents import fraud, help
from handlers.message import GroupMessage
from storage.db import session
from storage.models import Case, Message

pytestmark = pytest.mark.postgres

SCAM = "有人冒充客服说我的快递丢了要理赔 让我下载app共享屏幕"
SAME_TYPE = "我也接到了，说是快递客服，要给我退款，让我开屏幕共享，这是骗子吧"
OTHER_TYPE = "刚接到电话说是公检法 说我涉嫌洗钱 要把钱转到安全账户"
HELP = "救命 楼道里着火了 好大的烟"


def all_cases(bot) -> list[Case]:
    with session(bot.app[ENGINE]) as s:
        return list(s.exec(select(Case).order_by(Case.id)).all())


def stored(bot) -> list[Message]:
    with session(bot.app[ENGINE]) as s:
        return list(s.exec(select(Message).order_by(Message.id)).all())


async def flood_in(bot, chat: str, sender: str, text: str, n: int) -> list[dict]:
    before = len(await bot.sent())
    for _ in range(n):
        await bot.say(chat, sender, text)
    await bot.step()
    return (await bot.sent())[before:]


async def test_500_identical_scam_texts_from_one_resident_one_case_one_warning(bot):
    sent = await flood_in(bot, "grid-1", "resident-1", SCAM, 500)
    assert [c.kind for c in all_cases(bot)] == ["fraud"]
    assert len([m for m in sent if m["chat_id"] == "grid-1"]) == 1
    assert len([m for m in sent if m["chat_id"] == "officer-1"]) == 1
    case_ids = {m.case_id for m in stored(bot)}
    assert case_ids == {all_cases(bot)[0].id}  # every repeat joined the first case


async def test_500_identical_help_calls_one_case_and_bounded_alerts(bot, clock):
    sent = await flood_in(bot, "grid-1", "resident-1", HELP, 500)
    assert [c.kind for c in all_cases(bot)] == ["help"]
    assert len([m for m in sent if m["chat_id"] == "grid-1"]) == 1
    assert len([m for m in sent if m["chat_id"] in ("officer-1", "duty-1")]) <= 2


async def test_same_help_call_from_many_residents_is_one_incident(bot, clock):
    before = len(await bot.sent())
    for n in range(60):
        await bot.talk("grid-1", f"resident-{n + 1}", HELP)
        clock.advance(seconds=5)
    sent = (await bot.sent())[before:]
    [case] = all_cases(bot)
    assert case.kind == "help" and all(m.case_id == case.id for m in stored(bot))
    alerts = [m for m in sent if m["chat_id"] in ("officer-1", "duty-1")]
    # 5 minutes of calls: the first alert, then at most one update per 2 minutes, to each officer
    assert 2 <= len(alerts) <= 2 * (1 + 300 // help.UPDATE_GAP.seconds)
    assert any("续报" in m["text"] for m in alerts)
    assert len([m for m in sent if m["chat_id"] == "grid-1"]) <= budget.GROUP_REPLIES


async def test_one_public_warning_per_scam_type_per_group_per_window(bot, clock):
    first = await bot.talk("grid-1", "resident-1", SCAM)
    second = await bot.talk("grid-1", "resident-2", SAME_TYPE)
    other = await bot.talk("grid-1", "resident-3", OTHER_TYPE)
    assert len([m for m in first if m["chat_id"] == "grid-1"]) == 1
    assert [m for m in second if m["chat_id"] == "grid-1"] == []  # same scam type: the group was warned
    assert any(m["chat_id"] == "officer-1" for m in second)  # the officer still hears of it
    assert len([m for m in other if m["chat_id"] == "grid-1"]) == 1  # another scam type: its own warning
    elsewhere = await bot.talk("grid-2", "resident-7", SCAM)
    assert len([m for m in elsewhere if m["chat_id"] == "grid-2"]) == 1  # another group: warned
    clock.advance(fraud.WARNING_WINDOW + timedelta(seconds=1))
    later = await bot.talk("grid-1", "resident-4", "有人打电话说是淘宝客服 说我买的东西有问题要退款给我")
    assert len([m for m in later if m["chat_id"] == "grid-1"]) == 1


async def test_pasted_bot_warning_and_broadcast_are_not_handled(bot):
    sent = await bot.talk("grid-1", "resident-1", SCAM)
    warning = next(m["text"] for m in sent if m["chat_id"] == "grid-1")
    cases_before = len(all_cases(bot))
    pasted = "转发：" + warning.replace("，", ",").replace("。", ". ") + " ！！"
    assert await bot.talk("grid-1", "resident-2", pasted) == []
    part = warning[len(warning) // 3:]  # a part of it, pasted by someone else
    assert await bot.talk("grid-1", "resident-3", part) == []
    assert len(all_cases(bot)) == cases_before
    assert [m.intent for m in stored(bot)][-2:] == ["echo", "echo"]
    preview = await bot.talk("officer-1", "officer-1", "/broadcast grid-1 近期有冒充公检法要求转账到安全账户的诈骗电话 请勿转账",
                             direct=True)
    draft_id = re.search(r"/confirm (\d+)", preview[0]["text"]).group(1)
    await bot.talk("officer-1", "officer-1", f"/confirm {draft_id}", direct=True)
    [broadcast] = [m for m in await bot.sent("grid-1") if "安全账户" in m["text"]]
    assert await bot.talk("grid-1", "resident-4", broadcast["text"]) == []  # a broadcast pasted back
    assert len(all_cases(bot)) == cases_before


async def test_the_bots_own_message_reported_back_is_never_handled(bot):
    pipeline = bot.app[PIPELINE]
    own = GroupMessage(channel="sandbox", chat_id="grid-1", sender_id="gridbot-self", text=HELP,
                       channel_msg_id="own-1", sent_at=datetime(2026, 11, 2, 1, tzinfo=timezone.utc),
                       reply_hint={"from_self": True})
    await pipeline.accept(own)
    await bot.step()
    [message] = stored(bot)
    assert message.handled_at is not None and message.intent == "own" and all_cases(bot) == []
    assert await bot.sent() == []


async def test_two_bots_replying_to_each_other_stay_within_the_budget(bot):
    """Another bot in the group answers every message of ours with a new call for help: the loop stops at the
    sender's public reply budget, however long it runs."""
    before = len(await bot.sent("grid-1"))
    for n in range(60):
        said = await bot.talk("grid-1", "other-bot", f"救命 第{n}号楼着火了 快来人")
        if not [m for m in said if m["chat_id"] == "grid-1"]:
            await bot.talk("grid-1", "other-bot", f"救命 第{n}号楼有人晕倒了")
    public = (await bot.sent("grid-1"))[before:]
    assert len(public) <= budget.SENDER_REPLIES


async def test_many_senders_cannot_exceed_the_group_budget(bot):
    before = len(await bot.sent("grid-1"))
    for n in range(40):
        await bot.talk("grid-1", f"bot-{n}", f"救命 {n}号楼{n}单元有人晕倒了")
    assert len((await bot.sent("grid-1"))[before:]) == budget.GROUP_REPLIES


async def test_a_flooding_sender_is_recorded_quietly_and_the_officer_told_once(bot):
    texts = [f"大家好 今天天气不错{n}" for n in range(30)]
    before = len(await bot.sent())
    for text in texts:
        await bot.say("grid-1", "resident-1", text)
    await bot.say("grid-1", "resident-1", "楼上天天半夜吵 睡不着")  # something new at stake: still handled
    await bot.step()
    sent = (await bot.sent())[before:]
    notices = [m for m in sent if "刷屏提醒" in m["text"]]
    assert len(notices) == 1 and notices[0]["chat_id"] == "officer-1"
    assert [c.kind for c in all_cases(bot)] == ["dispute"]
    assert all(m.handled_at is not None for m in stored(bot))


@pytest.mark.parametrize("a, b", [("救命！楼道着火了", "救命 楼道着火了"), ("ＡＢＣ１２３", "abc123"),
                                  ("@张三 快来", "快来")])
def test_fingerprint_ignores_width_case_punctuation_and_mentions(a, b):
    assert flood.fingerprint(a) == flood.fingerprint(b)


@pytest.mark.parametrize("flood_text", [SCAM, HELP, None])
async def test_another_residents_call_is_not_held_up_by_a_flood(bot, flood_text):
    """A flood is settled in a few transactions (the waiting repeats and the flood's quiet messages together), so
    another resident's call for help behind 300 of them is handled within a handful of worker steps."""
    for n in range(300):
        await bot.say("grid-1", "resident-1", flood_text or f"第{n}次了 {SCAM}")
    help_id = (await bot.say("grid-1", "resident-2", "救命 我爸在家摔倒了起不来"))["message_id"]
    pipeline, steps = bot.app[PIPELINE], 0
    while next(m for m in stored(bot) if m.id == help_id).handled_at is None:
        assert pipeline.process_next()
        steps += 1
    assert steps <= 3 * flood.SENDER_LIMIT
    await bot.step()
    assert any("已紧急通知" in m["text"] for m in await bot.sent("grid-1"))


async def test_another_resident_asking_the_same_question_is_answered_too(bot):
    first = await bot.talk("grid-1", "resident-1", "请问身份证丢了怎么补办")
    second = await bot.talk("grid-1", "resident-2", "请问身份证丢了怎么补办")
    answer = [m for m in first if m["chat_id"] == "grid-1"]
    assert answer and [m["text"] for m in second if m["chat_id"] == "grid-1"] == [m["text"] for m in answer]
    phrase = flood.fingerprint(answer[0]["text"])[:12]  # a phrase of the answer, typed as a question of one's own
    assert len(phrase) < len(flood.fingerprint(answer[0]["text"])) // 3
    await bot.talk("grid-1", "resident-3", phrase + "吗")
    assert stored(bot)[-1].intent != "echo"
