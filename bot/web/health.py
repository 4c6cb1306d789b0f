"""GET /healthz: the process is up and serving (messages are accepted and stored); ``handling`` says whether
they are already being handled (``ready``) or wait for the classifier and the FAQ to load (``warming``)."""
from __future__ import annotations

from aiohttp import web

from bot.keys import WARM
from bot.web.responses import json_response


async def healthz(request: web.Request) -> web.Response:
    return json_response({"status": "ok", "handling": "ready" if request.app[WARM].is_set() else "warming"})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
