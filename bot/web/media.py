"""``GET /media/{id}?exp=&sig=``: a stored photo, voice note or file, for whoever holds the signed link from a
case card; ``GET /api/media[?case_id=&kind=&state=]`` and ``GET /api/cases/{id}/media``: the rows (bearer token)."""
from __future__ import annotations

import asyncio

from aiohttp import web

from bot.keys import CLOCK, CONFIG
from bot.media.store import make_store
from bot.web.responses import in_db, json_error, json_response
from handlers.ids import parse_id
from handlers.media import links
from handlers.media.rows import media_json
from storage import media


async def get_media_file(request: web.Request) -> web.Response:
    raw = request.match_info["media_id"]
    config, now = request.app[CONFIG], request.app[CLOCK].now()
    if not raw.isdigit() or not links.valid(config, int(raw), request.query.get("exp", ""),
                                            request.query.get("sig", ""), now):
        return json_error(403, "this link is not valid (or has expired)")
    row = await in_db(request, lambda s: media.get_media(s, media_id=int(raw)))
    if row is None or row.state != media.STORED:
        return json_error(404, "this medium is not stored (yet, or it could not be fetched)")
    store = make_store(config.media.root)
    try:
        data = await asyncio.get_running_loop().run_in_executor(None, store.read, row.store_key)
    except OSError:
        return json_error(404, "the stored file is missing")
    return web.Response(body=data, content_type=row.content_type or "application/octet-stream",
                        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600",
                                 "X-Checksum-SHA256": row.sha256})


async def list_media(request: web.Request) -> web.Response:
    raw = request.query.get("case_id") or request.match_info.get("case_id")
    case_id = parse_id(raw) if raw is not None else None
    if raw is not None and case_id is None:
        return json_error(400, "case_id must be a number")
    config, now = request.app[CONFIG], request.app[CLOCK].now()
    rows = await in_db(request, lambda s: [
        media_json(config, r, now) for r in media.search(
            s, case_id=case_id, kind=request.query.get("kind") or None,
            state=request.query.get("state") or None)])
    return json_response(rows)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/media/{media_id}", get_media_file)
    app.router.add_get("/api/media", list_media)
    app.router.add_get("/api/cases/{case_id}/media", list_media)
