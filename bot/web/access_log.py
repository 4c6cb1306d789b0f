"""The access log, without the secrets a callback URL carries.

WeChat signs a callback in its query string (``signature``, ``msg_signature``, ``timestamp``, ``nonce``, and the
``echostr`` of a URL check); a logged URL could be replayed within the 300 s window. Media links carry a ``sig``.
Those values are logged as ``<redacted>``, and an over-long path is cut, so a log line stays a line. The format
is aiohttp's default: ``%a %t "%r" %s %b "%{Referer}i" "%{User-Agent}i"``.

Which requests get a line is ``[logging] access``: ``problems`` (the default) logs a request answered 4xx/5xx or
slower than ``SLOW_SECONDS``; a line for every 200 cost as much as the rest of accepting a message.
"""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import quote

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse

SECRET_PARAMS = frozenset({"signature", "msg_signature", "echostr", "nonce", "timestamp", "token", "sig",
                           "access_token", "response_code", "key"})
MAX_LOGGED = 300  # characters of a path or a query value in a log line
SLOW_SECONDS = 1.0  # a request taking longer is logged under ``access = "problems"``


def redacted_path(request: BaseRequest) -> str:
    """The request's path and query as logged: secret parameters redacted, long values cut."""
    path = request.path if len(request.path) <= MAX_LOGGED else f"{request.path[:MAX_LOGGED]}…"
    parts = []
    for key, value in request.query.items():
        shown = "<redacted>" if key.lower() in SECRET_PARAMS else value[:MAX_LOGGED // 4]
        parts.append(f"{quote(key[:40])}={quote(shown, safe='<>…')}")
    return path + ("?" + "&".join(parts) if parts else "")


class RedactingAccessLogger(AbstractAccessLogger):
    """Every request (``access = "all"``)."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        now = datetime.now(timezone.utc).strftime("[%d/%b/%Y:%H:%M:%S %z]")
        version = f"HTTP/{request.version.major}.{request.version.minor}"
        self.logger.info('%s %s "%s %s %s" %s %s "%s" "%s"', request.remote or "-", now, request.method,
                         redacted_path(request), version, response.status, response.body_length,
                         _header(request, "Referer"), _header(request, "User-Agent"))


class ProblemAccessLogger(RedactingAccessLogger):
    """Requests answered 4xx/5xx, or slower than ``SLOW_SECONDS`` (``access = "problems"``)."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        if response.status >= 400 or time >= SLOW_SECONDS:
            super().log(request, response, time)


class NoAccessLogger(RedactingAccessLogger):
    """No access log (``access = "off"``): aiohttp does not even time the requests."""

    @property
    def enabled(self) -> bool:
        return False


LOGGERS = {"all": RedactingAccessLogger, "problems": ProblemAccessLogger, "off": NoAccessLogger}


def access_logger(mode: str) -> type[AbstractAccessLogger]:
    """The access-logger class for ``[logging] access``."""
    return LOGGERS[mode]


def _header(request: BaseRequest, name: str) -> str:
    value = request.headers.get(name, "-")
    return value if len(value) <= MAX_LOGGED else f"{value[:MAX_LOGGED]}…"
