"""The fraud alert feed and the calls for help, with acknowledgement times."""
from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from bot.keys import CONFIG
from bot.web.console.common import now as clock_now
from bot.web.console.common import read, render, user
from handlers import alerts

DAYS = 30


async def alerts_page(request: web.Request) -> web.Response:
    config, person, now = request.app[CONFIG], user(request).person, clock_now(request)
    since = now - timedelta(days=DAYS)

    def load(session):  # noqa: ANN001, ANN202
        found = {kind: alerts.feed(session, person=person, kind=kind, since=since, until=now + timedelta(seconds=1),
                                   tz=config.tz, now=now) for kind in ("fraud", "help")}
        found["parked"] = alerts.parked(session, person=person, tz=config.tz)
        return found
    found = await read(request, load)
    parked, parked_total = found["parked"]
    return render(request, "alerts.html", fraud=found["fraud"], help=found["help"], days=DAYS, parked=parked,
                  parked_total=parked_total)
