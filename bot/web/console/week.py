"""The Friday agenda page (周五工作法) and its outcomes."""
from __future__ import annotations

from aiohttp import web

from bot.keys import CONFIG
from bot.web.console.common import now as clock_now
from bot.web.console.common import read, render, user
from handlers.cases.week import week_page


async def agenda_page(request: web.Request) -> web.Response:
    config, person = request.app[CONFIG], user(request).person
    week = await read(request, lambda s: week_page(s, config=config, person=person, now=clock_now(request)))
    return render(request, "agenda.html", week=week, require_consent=config.friday.require_consent)
