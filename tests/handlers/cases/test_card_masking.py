"""Cards and notices sent to non-police roles (the property company's mediator, grid workers) carry residents'
numbers masked; the grid's police read them raw in their cards and in /case in a direct chat; officers' notes are
masked wherever they are shown."""
from __future__ import annotations

import pytest

from handlers.privacy import mask_personal

PHONE, ID = "138 1234 5678", "110101199003071234"
COMPLAINT = f"楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301，电话{PHONE}，身份证{ID}"


async def _noise_case(bot) -> tuple[int, list[dict]]:  # noqa: ANN001
    bot.raw = True  # what each recipient read; the masked sent-log is tested in test_sandbox_guard
    replies = await bot.talk("grid-2", "resident-7", COMPLAINT)
    _, rows = await bot.api("/api/cases")
    return rows[0]["id"], replies


async def test_the_property_mediator_gets_the_card_masked_and_the_officer_raw(bot):
    _, replies = await _noise_case(bot)
    to = {m["chat_id"]: m["text"] for m in replies}
    assert PHONE not in to["mediator-property"] and ID not in to["mediator-property"]
    assert mask_personal(PHONE) in to["mediator-property"]
    assert ID in to["officer-2"]


async def test_a_case_assigned_to_a_grid_worker_reaches_them_masked(bot):
    case_id, _ = await _noise_case(bot)
    replies = await bot.talk("officer-2", "officer-2", f"/assign {case_id} worker-2", direct=True)
    card = next(m["text"] for m in replies if m["chat_id"] == "worker-2")
    assert "蹦迪" in card and ID not in card and PHONE not in card


async def test_an_officers_note_reaches_the_assignee_and_the_case_view_masked(bot):
    case_id, _ = await _noise_case(bot)
    replies = await bot.talk("worker-2", "worker-2", f"/note {case_id} 住户新号码 0571-88886666，卡号6222021234567890123",
                             direct=True)
    notice = next(m["text"] for m in replies if m["chat_id"] == "officer-2")  # the case's assignee
    assert "88886666" not in notice and "6222021234567890123" not in notice
    view = (await bot.talk("officer-2", "officer-2", f"/case {case_id}", direct=True))[0]["text"]
    assert "88886666" not in view and "6222021234567890123" not in view


@pytest.mark.parametrize("who, direct, raw", [
    ("officer-2", True, True),  # the grid's own officer in a direct chat
    ("duty-1", True, True),  # station-wide police
    ("officer-2", False, False),  # typed in the group: answered privately, masked all the same
    ("worker-2", True, False),
    ("mediator-property", True, False),
    ("admin-1", True, False),
])
async def test_case_view_shows_raw_numbers_only_to_the_grids_police_in_a_direct_chat(bot, who, direct, raw):
    case_id, _ = await _noise_case(bot)
    chat = who if direct else "grid-2"
    replies = await bot.talk(chat, who, f"/case {case_id}", direct=direct)
    view = next(m["text"] for m in replies if m["chat_id"] == who)
    assert (ID in view) is raw and "蹦迪" in view
