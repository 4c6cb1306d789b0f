"""One call wires every configured WeChat channel's callback routes into the app."""
from __future__ import annotations

from typing import Protocol

from aiohttp import web

from bot.channels.callback_security import Accept

WECOM_PATH = "/wechat/wecom"
AIBOT_PATH = "/wechat/aibot"
MP_PATH = "/wechat/mp"
BRIDGE_PATH = "/bridge"


class Adapter(Protocol):
    channel: str

    async def handle(self, request: web.Request, accept: Accept) -> web.Response: ...


def add_routes(app: web.Application, *, wecom: Adapter | None = None, aibot: Adapter | None = None,
               mp: Adapter | None = None, bridge: Adapter | None = None, accept: Accept) -> list[str]:
    """Register GET (URL verification) and POST routes for each adapter given; None = disabled.

    ``accept(msg)`` stores and deduplicates one message. If the pipeline only exists once the
    app has started, pass ``accept=lambda msg: app[PIPELINE].accept(msg)``. Returns the paths added.
    """
    added = []
    for path, adapter, methods in ((WECOM_PATH, wecom, ("GET", "POST")), (AIBOT_PATH, aibot, ("GET", "POST")),
                                   (MP_PATH, mp, ("GET", "POST")), (BRIDGE_PATH, bridge, ("POST",))):
        if adapter is None:
            continue
        view = _view(adapter, accept)
        for method in methods:
            app.router.add_route(method, path, view)
        added.append(path)
    return added


def _view(adapter: Adapter, accept: Accept):  # noqa: ANN202
    async def view(request: web.Request) -> web.Response:
        return await adapter.handle(request, accept)

    view.__name__ = f"{adapter.channel}_callback"
    return view
