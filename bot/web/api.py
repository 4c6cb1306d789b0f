"""The case API (Open311-like, read-write). Each caller has its own token (`gridbot token create PERSON`, stored
hashed) and acts as that person: the same roles, grid boundaries and state machine as the commands. The
`[api] token` of config.toml still reads everything (the demo's dev-token) but writes nothing. Every write is
audited."""
from __future__ import annotations

import hmac
import json
from datetime import datetime, timezone
from urllib.parse import urlencode

from aiohttp import web
from sqlmodel import col, select

from bot.keys import CLOCK, CONFIG, PIPELINE
from bot.web.responses import in_db, json_error, json_response
from handlers import accounts, scope
from handlers.cases import acting, correcting, external
from handlers.cases.page import ACTIONS, shows_raw
from handlers.cases.view import case_json
from storage import cases
from storage.models import Case, Person

CASE_FILTERS = ("kind", "status", "grid_id")
CALLER = web.RequestKey("api_caller", object)  # the Person a token belongs to; None for the read-only token
MAX_PER_PAGE, PER_PAGE, MAX_PAGE = 500, 100, 1_000_000  # past MAX_PAGE an offset overflows SQLite
STATUS_ACTIONS = (*ACTIONS, "wrong")


@web.middleware
async def require_token(request: web.Request, handler):  # noqa: ANN001, ANN201
    if request.path.startswith("/api/"):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return json_error(401, "missing or wrong bearer token")
        if hmac.compare_digest(token.encode(), request.app[CONFIG].api.token.encode()):
            request[CALLER] = None
        else:
            now = request.app[CLOCK].now()
            person = await _write(request, lambda s: accounts.token_holder(s, secret=token, now=now))
            if person is None:
                return json_error(401, "missing or wrong bearer token")
            request[CALLER] = person
        if request.method != "GET" and request[CALLER] is None:
            return json_error(403, "this token only reads: writes need a person's token (gridbot token create PERSON)")
    return await handler(request)


async def _write(request: web.Request, func):  # noqa: ANN001, ANN202
    return await in_db(request, func, commit=True)


def _scope(session, request: web.Request):  # noqa: ANN001, ANN202
    caller = request[CALLER]
    return None if caller is None else scope.visible_clause(session, caller)


async def list_cases(request: web.Request) -> web.Response:
    """GET /api/cases[?kind=&status=&grid_id=&updated_since=ISO&page=1&per_page=100]: a JSON list; the total in
    X-Total-Count and the next page in a Link header. With updated_since, oldest change first (for syncing)."""
    try:
        page = min(max(int(request.query.get("page", "1")), 1), MAX_PAGE)
        per_page = min(max(int(request.query.get("per_page", str(PER_PAGE))), 1), MAX_PER_PAGE)
        since = _parse_time(request.query.get("updated_since"))
    except ValueError as exc:
        return json_error(400, str(exc))
    filters = {name: request.query[name] for name in CASE_FILTERS if request.query.get(name)}

    def load(session):  # noqa: ANN001, ANN202
        from sqlalchemy import func

        where = [getattr(Case, name) == value for name, value in filters.items()]
        clause = _scope(session, request)
        if clause is not None:
            where.append(clause)
        if since is not None:
            where.append(col(Case.updated_at) > since)
        total = session.exec(select(func.count()).select_from(Case).where(*where)).one()
        order = (Case.updated_at, Case.id) if since is not None else (Case.id.desc(),)
        rows = session.exec(select(Case).where(*where).order_by(*order).offset((page - 1) * per_page)
                            .limit(per_page)).all()
        return total, [case_json(c) for c in rows]
    total, rows = await in_db(request, load)
    headers = {"X-Total-Count": str(total)}
    if page * per_page < total:
        query = {**request.query, "page": str(page + 1), "per_page": str(per_page)}
        headers["Link"] = f'<{request.path}?{urlencode(query)}>; rel="next"'
    response = json_response(rows)
    response.headers.update(headers)
    return response


def _parse_time(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"updated_since must be an ISO 8601 time, not {raw!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


async def get_case(request: web.Request) -> web.Response:
    raw = request.match_info["case_id"]
    if not raw.isdigit():
        return json_error(404, f"no case {raw!r}")

    def load(session):  # noqa: ANN001, ANN202
        case = cases.get_case(session, case_id=int(raw))
        caller = request[CALLER]
        if case is None or (caller is not None and not scope.may_act_on(session, caller, case)):
            return None
        plain = caller is None or shows_raw(session, caller, case)  # the service token, or the grid's police
        return case_json(case, list(cases.case_events(session, case_id=case.id)), masked=not plain)

    data = await in_db(request, load)
    if data is None:
        return json_error(404, f"no case {raw}")
    return json_response(data)


async def _body(request: web.Request) -> dict:
    try:
        body = json.loads(await request.read())
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise web.HTTPBadRequest(text=json.dumps({"error": "body is not valid JSON"}), content_type="application/json")
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text=json.dumps({"error": "body must be a JSON object"}),
                                 content_type="application/json")
    return body


async def create_case(request: web.Request) -> web.Response:
    """POST /api/cases {kind, grid_id, text, subtype?, scam_type?, urgent?} → 201 with the case."""
    body, caller, now = await _body(request), request[CALLER], request.app[CLOCK].now()

    def run(session):  # noqa: ANN001, ANN202
        actor = session.get(Person, caller.id)
        try:
            case = external.create_case(session, actor=actor, body=body, now=now)
        except external.Refused as exc:
            external.audit(session, actor_id=actor.id, now=now, what=f"POST /api/cases refused {exc.http_status}: {exc}")
            return exc.http_status, {"error": str(exc)}
        external.audit(session, actor_id=actor.id, now=now, what=f"POST /api/cases → case {case.id}")
        return 201, case_json(case, list(cases.case_events(session, case_id=case.id)),
                              masked=not shows_raw(session, actor, case))
    status, data = await _write(request, run)
    return json_response(data, status=status)


async def add_note(request: web.Request) -> web.Response:
    """POST /api/cases/{id}/notes {text}."""
    body = await _body(request)
    return await _act(request, "note", body)


async def change_status(request: web.Request) -> web.Response:
    """POST /api/cases/{id}/status {action: take|assign|resolve|close|reopen|escalate|hard|wrong|reply, text?, person?}."""
    body = await _body(request)
    action = body.get("action")
    if action not in STATUS_ACTIONS:
        return json_error(400, f"action must be one of {', '.join(STATUS_ACTIONS)}")
    return await _act(request, action, body)


async def _act(request: web.Request, action: str, body: dict) -> web.Response:
    raw = request.match_info["case_id"]
    case_id = int(raw) if raw.isdigit() else 0
    caller, now, config = request[CALLER], request.app[CLOCK].now(), request.app[CONFIG]
    text, who = str(body.get("text") or "").strip(), str(body.get("person") or "").strip()
    pipeline = request.app[PIPELINE]

    def run(session):  # noqa: ANN001, ANN202
        actor = session.get(Person, caller.id)
        what = f"POST {request.path} {action}"
        case = acting.visible(session, actor, case_id)
        if case is None:
            external.audit(session, actor_id=actor.id, now=now, what=f"{what} refused 404")
            return 404, {"error": f"no case {raw}"}
        command, _, needs_text = ACTIONS.get(action, (action, None, False))
        if actor.role not in pipeline.routes.resolve(command).roles:
            external.audit(session, actor_id=actor.id, now=now, what=f"{what} refused 403")
            return 403, {"error": f"a {actor.role} may not {action}"}
        if action == "wrong":  # the same /wrong command as in a chat: {"kind"?, "subtype"?, "text"?: why}
            line = correcting.command_text(case_id, str(body.get("kind") or ""), str(body.get("subtype") or ""), text)
            outcome = acting.run_command(session, actor=actor, text=line, config=config, now=now,
                                         routes=pipeline.routes, channels=pipeline.channels, case_id=case_id,
                                         origin="api")
        else:
            if (needs_text and not text) or (action == "assign" and not who):
                return 400, {"error": "text is required" if needs_text else "person is required"}
            args = " ".join(p for p in (str(case_id), who if action == "assign" else "", text) if p)
            outcome = acting.run_command(session, actor=actor, text=f"/{command} {args}", config=config, now=now,
                                         routes=pipeline.routes, channels=pipeline.channels, case_id=case_id,
                                         origin="api")
        status = 200 if outcome.done else 409
        external.audit(session, actor_id=actor.id, now=now, what=f"{what} → {status}: {' '.join(outcome.answers)}")
        if not outcome.done:
            return 409, {"error": " ".join(outcome.answers)}
        case = cases.get_case(session, case_id=case_id)
        data = case_json(case, list(cases.case_events(session, case_id=case_id)), masked=not shows_raw(session, actor, case))
        return 200, {**data, "messages": outcome.answers}
    status, data = await _write(request, run)
    return json_response(data, status=status)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/cases", list_cases)
    app.router.add_post("/api/cases", create_case)
    app.router.add_get("/api/cases/{case_id}", get_case)
    app.router.add_post("/api/cases/{case_id}/notes", add_note)
    app.router.add_post("/api/cases/{case_id}/status", change_status)
