"""The household API (bearer token, as every /api/ route): the anti-fraud centre's warning feed creates
dissuasion tasks; a household record can be read, and every such read is audited. Thin views: the decisions
are handlers.households' (the read-write API of the console may take these routes over)."""
from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.keys import CLOCK, CONFIG
from bot.web.api import CALLER
from bot.web.responses import in_db, json_error, json_response
from handlers.households import access, dissuasion
from storage import outreach


async def post_dissuasion(request: web.Request) -> web.Response:
    try:
        payload = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return json_error(400, "body must be JSON")
    config, now = request.app[CONFIG], request.app[CLOCK].now()
    try:
        created, task = await in_db(
            request, lambda s: dissuasion.create_from_feed(s, config=config, now=now, payload=payload), commit=True)
    except dissuasion.FeedError as exc:
        return json_error(400, str(exc))
    return json_response(task, status=201 if created else 200)


async def get_dissuasion(request: web.Request) -> web.Response:
    raw = request.match_info["task_id"]
    if not raw.isdigit():
        return json_error(404, f"no dissuasion task {raw!r}")

    def load(session: Any) -> Any:
        task = outreach.get_dissuasion(session, task_id=int(raw))
        return None if task is None else dissuasion.task_json(task)

    task = await in_db(request, load)
    return json_response(task) if task is not None else json_error(404, f"no dissuasion task {raw}")


async def get_household(request: web.Request) -> web.Response:
    """A household record: only with a person's token, only in that person's grids; every read audited."""
    reader = request[CALLER]
    if reader is None:
        return json_error(403, "household records need a person's token (gridbot token create PERSON)")
    household_id, now = request.match_info["household_id"], request.app[CLOCK].now()
    record = await in_db(request, lambda s: access.household_record(
        s, household_id=household_id, reader=reader, via="api", now=now), commit=True)
    return json_response(record) if record is not None else json_error(404, f"no household {household_id!r}")


def add_routes(app: web.Application) -> None:
    app.router.add_post("/api/dissuasions", post_dissuasion)
    app.router.add_get("/api/dissuasions/{task_id}", get_dissuasion)
    app.router.add_get("/api/households/{household_id}", get_household)
