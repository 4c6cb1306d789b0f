"""A fake WeChat/WeCom API server on 127.0.0.1 for sender tests.

It serves gettoken, message/send, appchat/send, webhook/send, message/custom/send, message/template/send, the OA
cgi-bin/token, the AI-bot response_url, a bridge outbound endpoint, media/get (WeCom and OA media by
media id: ``add_media``, ``expire_media``) and plain files under /files/ (``add_file``: what AI-bot and
bridge media URLs point at); it records every call and answers injected faults per path first. An unknown
path answers 404 and is recorded in ``errors`` (tests assert ``fake.errors == []``): a fake that is not told
what to answer fails loudly.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
from collections import defaultdict, deque
from dataclasses import dataclass, field

from aiohttp import web

TOKEN_PATHS = ("/cgi-bin/message/send", "/cgi-bin/appchat/send", "/cgi-bin/message/custom/send",
               "/cgi-bin/message/template/send", "/cgi-bin/media/get")


@dataclass(frozen=True)
class Fault:
    """One injected answer: ``errcode``, an HTTP ``status``, ``hang`` (never answer) or ``drop``."""

    kind: str
    value: int = 0

    @staticmethod
    def errcode(code: int) -> Fault:
        return Fault("errcode", code)

    @staticmethod
    def http(status: int) -> Fault:
        return Fault("http", status)

    @staticmethod
    def hang() -> Fault:
        return Fault("hang")

    @staticmethod
    def drop() -> Fault:
        return Fault("drop")


@dataclass
class Call:
    method: str
    path: str
    query: dict
    body: object
    headers: dict = field(default_factory=dict)


class FakeWechatApi:
    def __init__(self, *, corp_id: str = "wwfakecorp", corp_secret: str = "corp-secret",
                 mp_app_id: str = "wxfakeapp", mp_secret: str = "mp-secret",
                 bridge_secret: str = "bridge-secret", token_ttl: int = 7200) -> None:
        self.corp = (corp_id, corp_secret)
        self.mp = (mp_app_id, mp_secret)
        self.bridge_secret = bridge_secret
        self.token_ttl = token_ttl
        self.bridge_delay = 0.0  # seconds the bridge outbound endpoint takes to answer (a slow gateway)
        self.calls: list[Call] = []
        self.errors: list[str] = []
        self.base_url = ""
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._valid: set[str] = set()
        self._expired: set[str] = set()
        self._serial = itertools.count(1)
        self._release = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.media: dict[str, tuple[bytes, str]] = {}  # media id → (bytes, content type)
        self.expired_media: set[str] = set()
        self.files: dict[str, tuple[bytes, str]] = {}  # path under /files/ → (bytes, content type)
        self.gone_files: set[str] = set()
        self.templates_sent: list[tuple[str, str | None]] = []  # (openid, client_msg_id) of template messages shown
        self._routes = {
            "/cgi-bin/gettoken": self._gettoken, "/cgi-bin/token": self._mp_token,
            "/cgi-bin/message/send": self._ok, "/cgi-bin/appchat/send": self._ok,
            "/cgi-bin/message/custom/send": self._ok, "/cgi-bin/webhook/send": self._webhook,
            "/cgi-bin/aibot/response": self._ok, "/bridge/outbound": self._bridge,
            "/cgi-bin/media/get": self._media_get, "/cgi-bin/message/template/send": self._template,
        }

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def close(self) -> None:
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def inject(self, path: str, *faults: Fault) -> None:
        """Queue faults for ``path``; each call to it consumes one before normal handling."""
        self._faults[path].extend(faults)

    def add_media(self, media_id: str, data: bytes, content_type: str = "image/png") -> None:
        self.media[media_id] = (data, content_type)

    def expire_media(self, media_id: str) -> None:
        """The media id is older than three days: media/get answers 40007."""
        self.media.pop(media_id, None)
        self.expired_media.add(media_id)

    def add_file(self, name: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        """Serve ``data`` at /files/<name>; returns its URL."""
        self.files[name] = (data, content_type)
        return f"{self.base_url}/files/{name}"

    def gone_file(self, name: str) -> str:
        """A URL that has expired (404), as an AI-bot media URL does after five minutes."""
        self.gone_files.add(name)
        return f"{self.base_url}/files/{name}"

    def expire_tokens(self) -> None:
        """Every issued access token now answers 42001, as after WeCom's 2 h expiry."""
        self._expired |= self._valid
        self._valid.clear()

    def calls_to(self, path: str) -> list[Call]:
        return [c for c in self.calls if c.path == path]

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        self.calls.append(Call(request.method, request.path, dict(request.query), body, dict(request.headers)))
        handler = self._routes.get(request.path)
        if handler is None and request.path.startswith("/files/"):
            handler = self._file
        if handler is None:
            self.errors.append(f"unexpected {request.method} {request.path}")
            return web.json_response({"errcode": 404, "errmsg": "fake: unknown path"}, status=404)
        if self._faults[request.path]:
            return await self._fault(request, self._faults[request.path].popleft())
        if request.path in TOKEN_PATHS and (bad := self._token_error(request.query.get("access_token"))):
            return bad
        return await handler(request, raw)

    async def _fault(self, request: web.Request, fault: Fault) -> web.StreamResponse:
        if fault.kind == "errcode":
            return web.json_response({"errcode": fault.value, "errmsg": f"fake injected {fault.value}"})
        if fault.kind == "http":
            return web.Response(status=fault.value, text="fake injected failure")
        if fault.kind == "hang":
            await self._release.wait()
            return web.Response(status=504)
        request.transport.close()  # drop: the client sees the connection reset mid-request
        raise asyncio.CancelledError

    def _token_error(self, token: str | None) -> web.Response | None:
        if token in self._valid:
            return None
        code = 42001 if token in self._expired else 40014
        return web.json_response({"errcode": code, "errmsg": "fake: access_token rejected"})

    def _issue(self) -> web.Response:
        token = f"token-{next(self._serial)}"
        self._valid.add(token)
        return web.json_response({"errcode": 0, "errmsg": "ok", "access_token": token,
                                  "expires_in": self.token_ttl})

    async def _gettoken(self, request: web.Request, raw: bytes) -> web.Response:
        if (request.query.get("corpid"), request.query.get("corpsecret")) != self.corp:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        return self._issue()

    async def _mp_token(self, request: web.Request, raw: bytes) -> web.Response:
        if (request.query.get("appid"), request.query.get("secret")) != self.mp:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        return self._issue()

    async def _ok(self, request: web.Request, raw: bytes) -> web.Response:
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def _template(self, request: web.Request, raw: bytes) -> web.Response:
        """OA template message: touser, template_id and data of {"field": {"value": …}} are required (47001
        otherwise); a repeated (touser, client_msg_id) sends nothing again, as the platform does."""
        body = json.loads(raw or b"{}")
        data = body.get("data")
        if not (body.get("touser") and body.get("template_id") and isinstance(data, dict)
                and all(isinstance(v, dict) and isinstance(v.get("value"), str) for v in data.values())):
            return web.json_response({"errcode": 47001, "errmsg": "data format error"})
        key = (body["touser"], body.get("client_msg_id"))
        if key[1] is None or key not in self.templates_sent:
            self.templates_sent.append(key)
        return web.json_response({"errcode": 0, "errmsg": "ok", "msgid": next(self._serial)})

    async def _media_get(self, request: web.Request, raw: bytes) -> web.Response:
        media_id = request.query.get("media_id", "")
        if media_id in self.media:
            data, content_type = self.media[media_id]
            return web.Response(body=data, content_type=content_type,
                                headers={"Content-Disposition": f'attachment; filename="{media_id}"'})
        if media_id not in self.expired_media:
            self.errors.append(f"media/get of unknown media id {media_id!r}")
        return web.json_response({"errcode": 40007, "errmsg": "invalid media_id"})

    async def _file(self, request: web.Request, raw: bytes) -> web.Response:
        name = request.path.removeprefix("/files/")
        if name in self.files:
            data, content_type = self.files[name]
            return web.Response(body=data, content_type=content_type)
        if name not in self.gone_files:
            self.errors.append(f"unexpected file {name!r}")
        return web.Response(status=404, text="fake: no such file")

    async def _webhook(self, request: web.Request, raw: bytes) -> web.Response:
        if not request.query.get("key"):
            return web.json_response({"errcode": 93000, "errmsg": "invalid webhook url"})
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def _bridge(self, request: web.Request, raw: bytes) -> web.Response:
        ts = request.headers.get("X-Bridge-Timestamp", "")
        expected = hmac.new(self.bridge_secret.encode(), ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, request.headers.get("X-Bridge-Signature", "")):
            return web.json_response({"ok": False, "error": "bad signature"}, status=401)
        if self.bridge_delay:
            await asyncio.sleep(self.bridge_delay)
        return web.json_response({"ok": True})

    def bridge_keys(self) -> list[str]:
        """The idempotency key of every outbound bridge call received, repeats included."""
        return [c.body["idempotency_key"] for c in self.calls_to("/bridge/outbound") if isinstance(c.body, dict)]
