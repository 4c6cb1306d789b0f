"""One matter, one case: follow-ups join the reporter's open case; neighbours' reports of one incident link."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.postgres

FIRST = "8栋楼上半夜一直在蹦迪 吵得不行"


async def cases_of(bot):
    _, cases = await bot.api("/api/cases")
    return sorted(cases, key=lambda c: c["id"])


@pytest.mark.parametrize("follow_up", ["还是很吵", "楼上还在吵", "上次说的噪音还是没解决"])
async def test_follow_up_joins_the_open_case_and_tells_the_officer(bot, follow_up):
    await bot.talk("grid-2", "resident-7", FIRST)
    sent = await bot.talk("grid-2", "resident-7", follow_up)
    cases = await cases_of(bot)
    assert len(cases) == 1
    case_id = cases[0]["id"]
    assert any(m["chat_id"] == "grid-2" and f"{case_id}号" in m["text"] for m in sent)
    assert any(m["chat_id"] == "officer-2" and follow_up in m["text"] for m in sent)
    _, case = await bot.api(f"/api/cases/{case_id}")
    assert case["events"][-1]["action"] == "follow_up" and case["events"][-1]["actor_id"] == "resident-7"


async def test_still_noisy_after_resolution_is_told_to_the_officer_not_a_new_case(bot):
    await bot.talk("grid-2", "resident-7", FIRST)
    case_id = (await cases_of(bot))[0]["id"]
    await bot.talk("officer-2", "officer-2", f"/resolve {case_id} 已调解", direct=True)
    sent = await bot.talk("grid-2", "resident-7", "还是很吵")
    assert len(await cases_of(bot)) == 1
    assert any(m["chat_id"] == "officer-2" and "还是很吵" in m["text"] for m in sent)
    _, case = await bot.api(f"/api/cases/{case_id}")
    assert case["status"] == "resolved" and case["events"][-1]["action"] == "follow_up"


async def test_a_neighbours_short_still_noisy_joins_the_recent_case(bot):
    await bot.talk("grid-2", "resident-7", FIRST)
    await bot.talk("grid-2", "resident-8", "还是很吵")
    [case] = await cases_of(bot)
    _, case = await bot.api(f"/api/cases/{case['id']}")
    assert (case["events"][-1]["action"], case["events"][-1]["actor_id"]) == ("follow_up", "resident-8")


async def test_a_bare_still_noisy_with_no_case_around_opens_one(bot):
    sent = await bot.talk("grid-2", "resident-8", "楼上还是很吵")
    [case] = await cases_of(bot)
    assert (case["kind"], case["subtype"], case["reporter_id"]) == ("dispute", "noise", "resident-8")
    assert any(m["chat_id"] == "officer-2" for m in sent)


async def test_two_residents_reporting_one_incident_are_linked(bot):
    await bot.talk("grid-2", "resident-7", FIRST)
    sent = await bot.talk("grid-2", "resident-9", "8栋2单元301楼上每天半夜蹦迪吵死了")
    first, second = await cases_of(bot)
    assert second["linked_to"] == first["id"] and second["building"] == first["building"] == "8栋"
    assert second["assignee_id"] == "officer-2"
    assert any(m["chat_id"] == "grid-2" and f"{first['id']}号" in m["text"] for m in sent)
    alerts = [m for m in sent if m["chat_id"] == "officer-2"]
    assert len(alerts) == 1 and "同一事件" in alerts[0]["text"]
    _, case = await bot.api(f"/api/cases/{first['id']}")
    assert case["events"][-1]["action"] == "linked"


async def test_reports_outside_the_window_or_building_are_not_linked(bot, clock):
    await bot.talk("grid-2", "resident-7", FIRST)
    await bot.talk("grid-2", "resident-9", "9栋楼上半夜一直在蹦迪 吵得不行")
    clock.advance(minutes=61)
    await bot.talk("grid-2", "resident-10", "8栋楼上半夜又在蹦迪 吵得不行")
    assert [c["linked_to"] for c in await cases_of(bot)] == [None, None, None]
