from __future__ import annotations

import pytest

from bot.importing import run_import
from bot.keys import CLOCK, ENGINE
from tests.handlers.households.demo_roster import DEMO_XLSX


@pytest.fixture
async def roster(bot):  # noqa: ANN001, ANN201
    """The bot with the demo household sheet imported (at the clock's now: Monday 2026-11-02 09:00 local)."""
    ok, lines = run_import(bot.app[ENGINE], kind="households", path=DEMO_XLSX, dry_run=False,
                           now=bot.app[CLOCK].now())
    assert ok, lines
    return bot
