"""Grid boundaries: staff act on their own grids' cases, the station-wide on all, mediators on theirs."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.postgres


async def _noise_case(bot) -> int:  # noqa: ANN001
    await bot.talk("grid-2", "resident-7", "楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301")
    status, rows = await bot.api("/api/cases")
    return rows[0]["id"]


@pytest.mark.parametrize("who, command, allowed", [
    ("officer-2", "/note {id} 已上门", True),  # the grid's own officer
    ("officer-1", "/close {id} 结案", False),  # another grid's officer
    ("officer-1", "/case {id}", False),
    ("duty-1", "/close {id} 已处理", True),  # the duty officer is station-wide
    ("admin-1", "/case {id}", True),
    ("worker-2", "/note {id} 已联系", True),  # this grid's worker
    ("worker-3", "/note {id} 看看", False),  # another grid's worker
    ("mediator-property", "/case {id}", True),  # the noise mediator of this case
    ("mediator-judicial", "/case {id}", False),  # not theirs
])
async def test_grid_boundaries(bot, who, command, allowed):
    case_id = await _noise_case(bot)
    replies = await bot.talk(who, who, command.format(id=case_id), direct=True)
    refused = any("不属于您负责的网格" in m["text"] or "不是您负责调解的案件" in m["text"] for m in replies)
    assert refused is not allowed, replies
