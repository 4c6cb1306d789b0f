"""JSON answers for every route: Chinese left readable, errors as {"error": ...}; reads in the DB executor."""
from __future__ import annotations

import asyncio
import functools
import json

from aiohttp import web

from bot.keys import ENGINE, EXECUTOR, OUTBOX
from storage.db import session as new_session

_dumps = functools.partial(json.dumps, ensure_ascii=False)


def json_response(data: object, status: int = 200) -> web.Response:
    """JSON with Chinese left readable (curl users read these bodies)."""
    return web.json_response(data, status=status, dumps=_dumps)


def json_error(status: int, message: str) -> web.Response:
    return json_response({"error": message}, status=status)


async def in_db(request: web.Request, func, *, commit: bool = False):  # noqa: ANN001, ANN201
    """Run ``func(session)`` in the database executor with a fresh session. ``commit``: commit what it wrote,
    then wake the outbox for the messages it queued."""
    def run():  # noqa: ANN202
        with new_session(request.app[ENGINE]) as session:
            result = func(session)
            if commit:
                session.commit()
            return result
    result = await asyncio.get_running_loop().run_in_executor(request.app[EXECUTOR], run)
    if commit and request.app.get(OUTBOX) is not None:
        request.app[OUTBOX].wake.set()
    return result
