"""Ledgers and exports from the console: the same kinds and writers as `gridbot export`, within the reader's
grids, written to a temporary file (rows stream to disk) and sent from it."""
from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from bot.exporting import FORMATS, export_to_file, file_name
from bot.keys import CONFIG, ENGINE, EXECUTOR
from bot.web.console.common import read, render, user
from bot.web.console.reports import period_from
from handlers import scope
from handlers.exports import Request
from handlers.exports.registry import KINDS
from storage import roster
from storage.db import session as new_session

CHUNK = 256 * 1024
MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}


async def exports_page(request: web.Request) -> web.Response:
    config, person = request.app[CONFIG], user(request).person
    period = period_from(request, config.tz)

    def load(session):  # noqa: ANN001, ANN202
        visible = scope.visible_grids(session, person)
        return [g for g in roster.all_grids(session) if visible is None or g.id in visible]
    grids = await read(request, load)
    return render(request, "exports.html", kinds=list(KINDS.values()), grids=grids,
                  since=period.first_day.isoformat(), until=period.last_day.isoformat())


async def download(request: web.Request) -> web.StreamResponse:
    """GET /console/exports/{kind}.{xlsx|csv}?since=&until=&grid_id="""
    config, person = request.app[CONFIG], user(request).person
    name, _, fmt = request.match_info["name"].rpartition(".")
    kind = KINDS.get(name)
    if kind is None or fmt not in FORMATS:
        raise web.HTTPNotFound(text="没有这种台账")
    period = period_from(request, config.tz)
    grid_id = request.query.get("grid_id") or None
    engine = request.app[ENGINE]

    def run() -> tuple[Path, str]:
        with new_session(engine) as session:
            clause = scope.visible_clause(session, person)
            visible = scope.visible_grids(session, person)
        grids = [grid_id] if grid_id else visible
        if grid_id and visible is not None and grid_id not in visible:
            grids = []
        req = Request(since=period.start, until=period.end, grid_ids=grids, tz=config.tz, scope=clause,
                      label=period.label, visit_days_per_week=config.households.visit_days_per_week)
        handle, path = tempfile.mkstemp(suffix=f".{fmt}")
        os.close(handle)
        export_to_file(engine, kind, req, fmt=fmt, path=Path(path))
        return Path(path), file_name(kind, req, fmt)
    path, filename = await asyncio.get_running_loop().run_in_executor(request.app[EXECUTOR], run)
    response = web.StreamResponse(headers={
        "Content-Type": MEDIA[fmt], "Content-Length": str(path.stat().st_size),
        "Content-Disposition": f"attachment; filename=\"export.{fmt}\"; filename*=UTF-8''{quote(filename)}"})
    with open(path, "rb") as source:
        path.unlink()  # the open file stays readable; nothing is left on disk
        await response.prepare(request)
        while chunk := source.read(CHUNK):
            await response.write(chunk)
    await response.write_eof()
    return response
