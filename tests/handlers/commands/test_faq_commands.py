"""/faq (/问答): officers own the FAQ — stored, audited, over the packaged topics, in force from the next
message in every process; /faq learn turns an officer's reply into an entry the officer confirms."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.app import create_app
from bot.keys import CLOCK, CONFIG, ENGINE
from handlers.routines.digest import compose
from storage.db import session
from storage.models import AuditEntry, FaqEntry, Person
from tests.factories import BotDriver, make_engine_for

NUCLEIC = "/faq add 核酸证明｜核酸检测证明在哪开；要开核酸证明去哪里｜请到社区卫生服务中心开具，电话{电话}。"


async def officer(bot: BotDriver, text: str) -> list[dict]:
    return await bot.talk("officer-1", "officer-1", text, direct=True)


def audit_actions(bot: BotDriver) -> list[str]:
    with session(bot.app[ENGINE]) as s:
        return [a.action for a in s.exec(select(AuditEntry).where(AuditEntry.action.like("faq_%"))).all()]


@pytest.mark.postgres
async def test_an_added_entry_answers_the_next_message(bot):
    sent = await bot.talk("grid-1", "resident-1", "核酸检测证明在哪开")
    assert any(m["chat_id"] == "officer-1" for m in sent)  # not known yet: a case for the officer
    sent = await officer(bot, NUCLEIC)
    assert "已添加问答“核酸证明”" in sent[0]["text"]
    sent = await bot.talk("grid-1", "resident-2", "要开核酸证明去哪里")
    assert len(sent) == 1 and sent[0]["chat_id"] == "grid-1"
    assert "社区卫生服务中心" in sent[0]["text"] and "0571-00000000" in sent[0]["text"]
    assert audit_actions(bot) == ["faq_add"]


async def test_the_chinese_alias_and_list_and_show(bot):
    await officer(bot, NUCLEIC.replace("/faq", "/问答"))
    sent = await officer(bot, "/faq list")
    assert "核酸证明＋" in sent[0]["text"] and "【户政】" in sent[0]["text"]
    sent = await officer(bot, "/faq show 核酸证明")
    assert "社区卫生服务中心" in sent[0]["text"] and "张警官" in sent[0]["text"]
    sent = await officer(bot, "/faq show 居住证")
    assert "没有标题为“居住证”" in sent[0]["text"] and "居住证申领" in sent[0]["text"]


async def test_editing_a_packaged_topic_overrides_it_and_removing_hides_it(bot):
    sent = await officer(bot, "/faq edit 办公时间｜｜本所户籍窗口周六全天开放：{办公时间}")
    assert "已修改问答“办公时间”" in sent[0]["text"]
    sent = await bot.talk("grid-1", "resident-1", "派出所周末上班吗")
    assert "周六全天开放" in sent[0]["text"]
    await officer(bot, "/faq remove 办公时间")
    sent = await bot.talk("grid-1", "resident-1", "派出所周末上班吗")
    assert all("周六全天开放" not in m["text"] for m in sent)
    sent = await officer(bot, "/faq list 派出所")
    assert "办公时间" not in sent[0]["text"] and "派出所地址" in sent[0]["text"]
    assert audit_actions(bot) == ["faq_edit", "faq_remove"]
    with session(bot.app[ENGINE]) as s:
        row = s.exec(select(FaqEntry)).one()
        assert (row.topic_key, row.state, row.updated_by) == ("station_hours", "removed", "officer-1")


async def test_bad_input_is_explained_and_changes_nothing(bot):
    assert (await officer(bot, "/faq"))[0]["text"].startswith("用法：")
    assert "｜" in (await officer(bot, "/faq add 只有标题"))[0]["text"]
    assert "花括号" in (await officer(bot, "/faq add 甲｜问｜到{window}办理"))[0]["text"]
    assert "已有标题" in (await officer(bot, "/faq add 办公时间｜几点开门｜九点"))[0]["text"]
    with session(bot.app[ENGINE]) as s:
        assert s.exec(select(FaqEntry)).all() == []


async def test_residents_may_not_change_the_faq(bot):
    sent = await bot.talk("grid-1", "resident-1", NUCLEIC)
    assert "只有" in sent[0]["text"]


@pytest.mark.postgres
async def test_learn_turns_the_officers_reply_into_an_entry_after_confirmation(bot):
    await bot.talk("grid-1", "resident-1", "请问无人机航拍报备要办什么手续")
    _, cases = await bot.api("/api/cases")
    case = cases[0]["id"]
    sent = await officer(bot, f"/faq learn {case}")
    assert "还没有民警的 /reply 答复" in sent[0]["text"]
    await officer(bot, f"/reply {case} 无人机航拍请提前向辖区公安机关报备飞行时间和区域。")
    sent = await officer(bot, f"/faq learn {case}")
    assert "【问答草稿】" in sent[0]["text"] and "辖区公安机关报备" in sent[0]["text"]
    assert any(m["chat_id"] == "officer-1" for m in await bot.talk("grid-1", "resident-2", "无人机航拍报备需要什么手续"))
    sent = await officer(bot, f"/faq learn {case} 确认 无人机航拍报备")
    assert "已把" in sent[0]["text"] and "无人机航拍报备" in sent[0]["text"]
    sent = await bot.talk("grid-1", "resident-3", "请问无人机航拍要去哪里报备")
    assert "辖区公安机关报备" in sent[0]["text"]
    assert "已经保存" in (await officer(bot, f"/faq learn {case}"))[0]["text"]
    assert audit_actions(bot) == ["faq_learn"]


async def test_an_entry_added_in_one_process_answers_in_another(aiohttp_client, config, clock, tmp_path):
    engine = make_engine_for("sqlite-file", tmp_path)
    first = BotDriver(await aiohttp_client(create_app(config, clock=clock, engine=engine, background=False)))
    second = BotDriver(await aiohttp_client(create_app(config, clock=clock, engine=engine, background=False)))
    assert any(m["chat_id"] == "officer-1" for m in await second.talk("grid-1", "resident-1", "核酸检测证明在哪开"))
    await officer(first, NUCLEIC)
    sent = await second.talk("grid-1", "resident-2", "核酸检测证明在哪开")
    assert "社区卫生服务中心" in sent[-1]["text"]
    engine.dispose()


async def test_the_digest_suggests_inquiries_answered_twice_with_the_same_reply(bot):
    for resident, question in (("resident-1", "请问保安证在哪里考"), ("resident-2", "请问保安员证怎么考")):
        await bot.talk("grid-1", resident, question)
    _, cases = await bot.api("/api/cases")
    for case in cases:
        await officer(bot, f"/reply {case['id']} 保安员证由市公安局组织考试，可在保安服务监管平台报名。")
    app = bot.app
    with session(app[ENGINE]) as s:
        schedule = next(j for j in app[CONFIG].schedules if j.kind == "digest")
        now = app[CLOCK].now()
        text = compose(s, config=app[CONFIG], schedule=schedule, officer=s.get(Person, "officer-1"),
                       grid_ids=["grid-1"], since=now - timedelta(days=1), now=now, shared=[])
    line = next(line for line in text.splitlines() if "答复相同" in line)
    assert all(f"{c['id']}号" in line or f"{c['id']}、" in line for c in cases) and "/faq learn" in line
