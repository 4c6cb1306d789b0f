"""The first middleware: what no route can use is refused here with a JSON 4xx, never a 500.

- a path or query value holding NUL, another control character or a lone surrogate (the database cannot store
  it, ``/api/cases?grid_id=%00``), or longer than ``MAX_QUERY_VALUE``;
- a numeric id in the path (``/api/cases/{case_id}`` …) that is not one: ``²`` (``isdigit`` yet not ``int``),
  ``100000000000000000000`` (past the integer column) → 404, as any id that names nothing;
- a JSON or form body of the API and the console (the channels read and clean their own) with a NUL or a lone
  surrogate in any string, or nested deeper than ``MAX_DEPTH``;
- and, as a last net, a ``RecursionError`` or ``UnicodeEncodeError`` a route lets escape → 400.

Limits and reasons: docs/reliability.md, "Edge: input and sandbox".
"""
from __future__ import annotations

import json
import logging
import re

from aiohttp import web

from bot.channels.kit.inbound import short
from bot.web.responses import json_error
from handlers.ids import parse_id

log = logging.getLogger(__name__)
MAX_QUERY_VALUE = 2000
MAX_DEPTH = 32  # of a JSON body: every body the API takes is two levels deep
NUMERIC_IDS = ("case_id", "task_id", "broadcast_id", "media_id", "doc_id")  # path parts that are integer ids
BODY_PATHS = ("/api/", "/console")  # bodies read by aiohttp here; the channels cap and clean their own
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def unstorable(value: str) -> bool:
    """True when ``value`` holds a character the database refuses or that is never part of a typed value."""
    return bool(_UNSTORABLE.search(value))


@web.middleware
async def refuse_bad_input(request: web.Request, handler):  # noqa: ANN001, ANN201
    problem = _url_problem(request) or await _body_problem(request)
    if problem:
        status, message = problem
        log.info("refused %s %s: %s", request.method, short(request.path), message)
        return json_error(status, message)
    try:
        return await handler(request)
    except RecursionError:
        return json_error(400, "input nested too deeply")
    except UnicodeEncodeError:
        return json_error(400, "input holds characters that are not valid text (lone surrogates)")


def _url_problem(request: web.Request) -> tuple[int, str] | None:
    if unstorable(request.path) or len(request.path) > MAX_QUERY_VALUE:
        return 400, "the path holds characters that are not valid text, or is too long"
    for key, value in request.query.items():
        if unstorable(key) or unstorable(value):
            return 400, f"query parameter {short(key, 40)!r} holds characters that are not valid text"
        if len(value) > MAX_QUERY_VALUE:
            return 400, f"query parameter {short(key, 40)!r} is longer than {MAX_QUERY_VALUE} characters"
    for name in NUMERIC_IDS:
        raw = request.match_info.get(name)
        if raw is not None and parse_id(raw) is None:
            return 404, f"no such {name.removesuffix('_id')} {short(raw, 40)!r}"
    return None


async def _body_problem(request: web.Request) -> tuple[int, str] | None:
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.path.startswith(BODY_PATHS):
        return None
    if request.content_type == "application/json":
        try:
            value = json.loads(await request.read())
        except RecursionError:
            return 400, f"JSON nested deeper than {MAX_DEPTH} levels"
        except ValueError:  # JSONDecodeError and UnicodeDecodeError: the route says what is wrong, as before
            return None
        return _json_problem(value)
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        if any(unstorable(str(k)) or (isinstance(v, str) and unstorable(v)) for k, v in form.items()):
            return 400, "a form field holds characters that are not valid text"
    return None


def _json_problem(value: object) -> tuple[int, str] | None:
    """Walk the body without recursion: its depth, and every key and string in it."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return 400, f"JSON nested deeper than {MAX_DEPTH} levels"
        if isinstance(item, str):
            if unstorable(item):
                return 400, "a JSON string holds characters that are not valid text (NUL, lone surrogates)"
        elif isinstance(item, dict):
            stack += [(k, depth) for k in item] + [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]
    return None
