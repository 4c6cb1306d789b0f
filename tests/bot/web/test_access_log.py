"""``[logging] access``: which requests get an access-log line. A real server on loopback, a real client."""
from __future__ import annotations

import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request

from bot.config import LoggingSettings
from bot.web.access_log import SLOW_SECONDS, access_logger


def _answering(status: int):  # noqa: ANN202
    async def view(_request: web.Request) -> web.Response:
        return web.json_response({"status": status}, status=status)
    return view


def _app() -> web.Application:
    app = web.Application()
    app.router.add_get("/ok", _answering(200))
    app.router.add_get("/missing", _answering(404))
    app.router.add_get("/broken", _answering(503))
    return app


async def _logged(mode: str, caplog: pytest.LogCaptureFixture) -> list[str]:
    server = TestServer(_app())
    await server.start_server(access_log_class=access_logger(mode))
    client = TestClient(server)
    await client.start_server()
    try:
        with caplog.at_level(logging.INFO, logger="aiohttp.access"):
            for path in ("/ok", "/missing", "/ok", "/broken"):
                await client.get(path)
    finally:
        await client.close()
    return [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]


def test_problems_is_the_default():
    assert LoggingSettings().access == "problems"


async def test_problems_logs_the_failed_requests_only(caplog):
    lines = await _logged("problems", caplog)
    assert len(lines) == 2
    assert '"GET /missing HTTP/1.1" 404' in lines[0] and '"GET /broken HTTP/1.1" 503' in lines[1]


async def test_all_logs_every_request(caplog):
    lines = await _logged("all", caplog)
    assert [line.split('"')[1] for line in lines] == ["GET /ok HTTP/1.1", "GET /missing HTTP/1.1",
                                                       "GET /ok HTTP/1.1", "GET /broken HTTP/1.1"]


async def test_off_logs_nothing(caplog):
    assert await _logged("off", caplog) == []


def test_problems_logs_a_slow_success(caplog):
    logger = access_logger("problems")(logging.getLogger("aiohttp.access"), "")
    request, ok = make_mocked_request("GET", "/slow"), web.Response(status=200)
    with caplog.at_level(logging.INFO, logger="aiohttp.access"):
        logger.log(request, ok, SLOW_SECONDS / 2)
        logger.log(request, ok, SLOW_SECONDS + 0.5)
    lines = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert len(lines) == 1 and '"GET /slow HTTP/1.1" 200' in lines[0]


def test_an_unknown_mode_is_refused_by_the_config():
    with pytest.raises(ValueError):
        LoggingSettings(access="verbose")
