"""GET /healthz: the process is up and serving."""
from __future__ import annotations

from aiohttp import web

from bot.web.responses import json_response


async def healthz(request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
