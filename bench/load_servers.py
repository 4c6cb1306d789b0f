"""The servers bench/load_bench.py drives, each started as a process of its own:

    python -m bench.load_servers bare PORT            aiohttp parsing the same JSON body and answering 200 (the ceiling)
    python -m bench.load_servers accept CONFIG PORT   the gridbot app as ``gridbot serve`` builds it (same access log,
                                                      same logging), with the worker, outbox and scheduler not run:
                                                      the cost of accepting a message alone
"""
from __future__ import annotations

import json
import sys

from aiohttp import web


async def _bare(request: web.Request) -> web.Response:
    body = json.loads(await request.read())
    if not isinstance(body, dict):
        return web.json_response({"error": "body must be a JSON object"}, status=400)
    return web.json_response({"message_id": 1})


def serve_bare(port: int) -> None:
    app = web.Application(client_max_size=256 * 1024)
    app.router.add_post("/sandbox/messages", _bare)
    app.router.add_get("/healthz", lambda _request: web.json_response({"status": "ok"}))
    web.run_app(app, host="127.0.0.1", port=port, print=None)


def serve_accept_only(config_path: str, port: int) -> None:
    from bot import log_masking
    from bot.app import create_app
    from bot.cli import load_checked
    from bot.web.access_log import access_logger

    config = load_checked(config_path)
    if config is None:
        raise SystemExit(2)
    log_masking.configure(config.logging.level, config.logging.format)
    app = create_app(config, freeze_gc=True, background=False)
    web.run_app(app, host="127.0.0.1", port=port, print=None,
                access_log_class=access_logger(config.logging.access))


def main(argv: list[str]) -> None:
    if argv[:1] == ["bare"]:
        serve_bare(int(argv[1]))
    elif argv[:1] == ["accept"]:
        serve_accept_only(argv[1], int(argv[2]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
