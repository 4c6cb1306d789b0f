"""The ordered list of command routers (explicit, not import scanning)."""
from __future__ import annotations

from handlers.commands import (
    agenda,
    broadcast,
    cases,
    casework,
    general,
    scamwords,
    stats,
)
from handlers.router import CommandTable, Router

ROUTERS: tuple[Router, ...] = (
    general.router, cases.router, casework.router, stats.router, broadcast.router, scamwords.router,
    agenda.router,
)


def command_table(aliases: dict[str, list[str]] | None = None) -> CommandTable:
    return CommandTable(ROUTERS, aliases)
