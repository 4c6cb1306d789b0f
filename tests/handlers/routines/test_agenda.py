"""周五工作法: the Friday agenda, the call for outcomes, carry-over, and /agenda."""
from __future__ import annotations

from datetime import timedelta

from tests.bot.scheduling.test_scheduler_support import (
    add_dispute,
    case_event,
    local,
    run_until,
    sent_rows,
    start_bot,
)
from tests.fakes.clock import FakeClock


async def make_week(aiohttp_client, config, engine):  # noqa: ANN001, ANN201
    """A Thursday with six disputes: four hard ones (old, escalated, hard-marked, urgent+reopened), two not."""
    clock = FakeClock(local(2026, 11, 5, 12, 0))
    bot = await start_bot(aiohttp_client, config, clock, engine)
    ids = {
        "old": add_dispute(engine, now=local(2026, 10, 20, 10)),
        "escalated": add_dispute(engine, now=local(2026, 11, 4, 10), text="两家为占用楼道吵了起来"),
        "hard": add_dispute(engine, now=local(2026, 11, 5, 9), grid_id="grid-2", mediator="mediator-judicial",
                            subtype="economic", reporter="resident-2", text="借款三万元不还", hard=True),
        "fresh": add_dispute(engine, now=local(2026, 11, 4, 11), text="楼下烧烤油烟大"),
        "resolved": add_dispute(engine, now=local(2026, 10, 1, 10), text="早已化解的纠纷"),
        "urgent": add_dispute(engine, now=local(2026, 11, 3, 10), mediator="mediator-property", subtype="noise",
                              urgent=True, text="装修噪音，对方扬言动手"),
    }
    case_event(engine, ids["escalated"], now=local(2026, 11, 4, 12), action="escalated")
    case_event(engine, ids["urgent"], now=local(2026, 11, 4, 12), action="reopened")
    case_event(engine, ids["resolved"], now=local(2026, 10, 5, 12), action="resolved", move="resolve")
    return bot, clock, ids


def agenda_to(engine, person: str) -> list[str]:  # noqa: ANN001
    return [row.text for row in sent_rows(engine, kind="agenda", chat_id=person)]


def order_in(text: str, ids: dict, names: list[str]) -> list[str]:
    found = {name: text.find(f" {ids[name]}号 ") for name in names}
    assert all(pos >= 0 for pos in found.values()), (found, text)
    return sorted(names, key=found.__getitem__)


async def test_friday_agenda_goes_to_each_officer_and_mediator_concerned(aiohttp_client, config, engine) -> None:  # noqa: ANN001
    bot, clock, ids = await make_week(aiohttp_client, config, engine)
    await run_until(bot, clock, local(2026, 11, 6, 9, 0))
    [officer] = agenda_to(engine, "officer-1")
    assert order_in(officer, ids, ["urgent", "escalated", "old"]) == ["urgent", "escalated", "old"]
    assert f" {ids['fresh']}号 " not in officer and f" {ids['resolved']}号 " not in officer
    assert f" {ids['hard']}号 " not in officer  # grid-2's case goes to grid-2
    assert "■ 第一网格（1-6栋）｜调解员：刘管家" in officer and "■ 第一网格（1-6栋）｜调解员：陈阿姨" in officer
    assert "张**" in officer and "张三丰" not in officer
    assert "138****5678" in officer and "13812345678" not in officer
    assert "〔紧急、重新打开〕" in officer and "〔已升级〕" in officer and "〔久拖未决〕" in officer
    [building] = agenda_to(engine, "mediator-building")
    assert order_in(building, ids, ["escalated", "old"]) == ["escalated", "old"] and "装修噪音" not in building
    assert len(agenda_to(engine, "mediator-property")) == 1
    [grid2] = agenda_to(engine, "officer-2")
    assert f" {ids['hard']}号 " in grid2 and "〔民警标记疑难〕" in grid2
    assert agenda_to(engine, "officer-3") == [] and agenda_to(engine, "mediator-community") == []


async def test_outcomes_are_asked_for_and_unresolved_items_carry_over(aiohttp_client, config, engine) -> None:  # noqa: ANN001
    bot, clock, ids = await make_week(aiohttp_client, config, engine)
    await run_until(bot, clock, local(2026, 11, 6, 12, 0))
    case_event(engine, ids["escalated"], now=clock.now(), action="resolved", move="resolve")
    await run_until(bot, clock, local(2026, 11, 6, 18, 0))
    [_, ask] = agenda_to(engine, "officer-1")
    assert "结果反馈" in ask and "/resolve 编号" in ask
    assert f"{ids['urgent']}号" in ask and f"{ids['old']}号" in ask and f"{ids['escalated']}号" not in ask
    [_, building_ask] = agenda_to(engine, "mediator-building")
    assert f"{ids['old']}号" in building_ask

    await run_until(bot, clock, local(2026, 11, 13, 9, 30), step=timedelta(hours=2))
    next_week = agenda_to(engine, "officer-1")[-1]
    assert "2026-11-13" in next_week and "上周遗留" in next_week
    assert f" {ids['escalated']}号 " not in next_week
    assert order_in(next_week, ids, ["urgent", "old"]) == ["urgent", "old"]
    assert len(agenda_to(engine, "officer-1")) == 3  # agenda, outcome call, next agenda: once each


async def test_agenda_command_shows_the_draft_to_staff_only(aiohttp_client, config, engine) -> None:  # noqa: ANN001
    bot, clock, ids = await make_week(aiohttp_client, config, engine)
    [reply] = await bot.talk("officer-2", "officer-2", "/议程", direct=True)
    assert "议程草稿" in reply["text"] and f" {ids['hard']}号 " in reply["text"]
    assert f" {ids['old']}号 " not in reply["text"]
    [reply] = await bot.talk("mediator-property", "mediator-property", "/agenda", direct=True)
    assert f" {ids['urgent']}号 " in reply["text"] and f" {ids['old']}号 " not in reply["text"]
    [reply] = await bot.talk("officer-3", "officer-3", "/agenda", direct=True)
    assert reply["text"] == "目前没有需要列入本周五议程的疑难纠纷。"
    [reply] = await bot.talk("grid-1", "resident-1", "/agenda")
    assert "只有" in reply["text"]
