"""The case API (read-only for now): bearer token from [api] token."""
from __future__ import annotations

import hmac

from aiohttp import web

from bot.keys import CONFIG
from bot.web.responses import in_db, json_error, json_response
from handlers.cases.view import case_json
from storage import cases

CASE_FILTERS = ("kind", "status", "grid_id")


@web.middleware
async def require_token(request: web.Request, handler):  # noqa: ANN001, ANN201
    if request.path.startswith("/api/"):
        expected = request.app[CONFIG].api.token
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
            return json_error(401, "missing or wrong bearer token")
    return await handler(request)


async def list_cases(request: web.Request) -> web.Response:
    filters = {name: request.query[name] for name in CASE_FILTERS if request.query.get(name)}
    rows = await in_db(request, lambda s: [case_json(c) for c in cases.list_cases(s, **filters)])
    return json_response(rows)


async def get_case(request: web.Request) -> web.Response:
    raw = request.match_info["case_id"]
    if not raw.isdigit():
        return json_error(404, f"no case {raw!r}")

    def load(session):  # noqa: ANN001, ANN202
        case = cases.get_case(session, case_id=int(raw))
        return None if case is None else case_json(case, list(cases.case_events(session, case_id=case.id)))

    data = await in_db(request, load)
    if data is None:
        return json_error(404, f"no case {raw}")
    return json_response(data)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/cases", list_cases)
    app.router.add_get("/api/cases/{case_id}", get_case)
