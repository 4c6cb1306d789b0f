"""A small async client for the WeCom / Official Account HTTP APIs on one aiohttp session.

wechatpy's client is synchronous (requests), so it must not run on the event loop. This one
caches access tokens in a TokenStore, refreshes them 5 minutes before expiry, retries once on
40001/40014/42001, and maps failures onto TemporaryFailure / PermanentFailure for the outbox.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
from datetime import datetime, timedelta
from typing import Protocol

import aiohttp

from bot.channels.base import NotDelivered, PermanentFailure, TemporaryFailure, Throttled
from bot.clock import Clock
from bot.media.fetch import Download, MediaJob, download, json_answer

WECOM_API_BASE = "https://qyapi.weixin.qq.com"
MP_API_BASE = "https://api.weixin.qq.com"
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
REFRESH_MARGIN = timedelta(minutes=5)
RETRY_AFTER = {45009: 65.0, 45033: 5.0, -1: 2.0}
THROTTLED = {45009, 45033}  # frequency / concurrency limits: wait, it is not a failed attempt


class TokenStore(Protocol):
    async def get(self, key: str) -> tuple[str, datetime] | None: ...

    async def put(self, key: str, token: str, expires_at: datetime) -> None: ...


class MemoryTokenStore:
    """Tokens in process memory; the core supplies a database-backed store for several workers."""

    def __init__(self) -> None:
        self._tokens: dict[str, tuple[str, datetime]] = {}

    async def get(self, key: str) -> tuple[str, datetime] | None:
        return self._tokens.get(key)

    async def put(self, key: str, token: str, expires_at: datetime) -> None:
        self._tokens[key] = (token, expires_at)


class ApiError(PermanentFailure):
    """WeCom/OA answered a non-retryable errcode (40003 bad user, 60020 IP not trusted, …)."""

    def __init__(self, errcode: int, errmsg: str, what: str) -> None:
        hint = " (add this server's IP to 企业可信IP)" if errcode == 60020 else ""
        hint += f" ({MEDIA_ERRORS[errcode]})" if errcode in MEDIA_ERRORS else ""
        super().__init__(f"{what}: errcode {errcode}: {errmsg}{hint}")
        self.errcode, self.errmsg = errcode, errmsg


class _TokenRejected(Exception):
    pass


async def post_json(session: aiohttp.ClientSession, url: str, payload: dict, *, timeout: float,
                    what: str, headers: dict | None = None, params: dict | None = None) -> dict:
    """POST JSON and return the JSON answer; network trouble, 5xx and 429 are TemporaryFailure."""
    return await request_json(session, "POST", url, timeout=timeout, what=what, params=params,
                              data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                              headers={"Content-Type": "application/json", **(headers or {})})


async def request_json(session: aiohttp.ClientSession, method: str, url: str, *, timeout: float,
                       what: str, **kwargs: object) -> dict:
    try:
        async with session.request(method, url, timeout=aiohttp.ClientTimeout(total=timeout), **kwargs) as resp:
            body = await resp.read()
            status, retry_after = resp.status, resp.headers.get("Retry-After")
    except asyncio.TimeoutError:
        raise TemporaryFailure(f"{what}: timed out after {timeout} s") from None
    except aiohttp.ClientConnectorError as exc:  # never reached the server: surely not delivered
        raise NotDelivered(f"{what}: {type(exc).__name__}: {exc}") from None
    except aiohttp.ClientError as exc:
        raise TemporaryFailure(f"{what}: {type(exc).__name__}: {exc}") from None
    if status in (429, 503):  # the server says "not now": it took nothing
        raise NotDelivered(f"{what}: HTTP {status}", retry_after=_seconds(retry_after))
    if status >= 500:
        raise TemporaryFailure(f"{what}: HTTP {status}", retry_after=_seconds(retry_after))
    if status >= 400:
        raise PermanentFailure(f"{what}: HTTP {status}: {body[:200].decode('utf-8', 'replace')}")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise TemporaryFailure(f"{what}: HTTP {status} answer is not JSON") from None
    return data if isinstance(data, dict) else {"errcode": -1, "errmsg": "answer is not an object"}


def check_errcode(data: dict, what: str) -> dict:
    """Return ``data`` if errcode is 0 (or absent); else raise the matching failure."""
    code = data.get("errcode", 0)
    errmsg = str(data.get("errmsg", ""))
    if code == 0:
        return data
    if code in TOKEN_ERRORS:
        raise _TokenRejected(code)
    if code in RETRY_AFTER:
        failure = Throttled if code in THROTTLED else TemporaryFailure
        raise failure(f"{what}: errcode {code}: {errmsg}", retry_after=RETRY_AFTER[code])
    raise ApiError(int(code) if isinstance(code, int) else -2, errmsg, what)


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


class ApiClient:
    """Calls ``{api_base}/cgi-bin/...?access_token=`` with a cached, auto-refreshed token.

    Use ``ApiClient.wecom(...)`` (gettoken with corp id + app secret) or ``ApiClient.mp(...)``
    (cgi-bin/token with app id + secret).
    """

    def __init__(self, session: aiohttp.ClientSession, *, token_path: str, token_params: dict, api_base: str,
                 token_store: TokenStore, clock: Clock, timeout: float = 10.0) -> None:
        self._session, self._clock, self._timeout = session, clock, timeout
        self._base = api_base.rstrip("/")
        self._token_path, self._token_params = token_path, token_params
        self._store = token_store
        digest = hashlib.sha256(json.dumps(token_params, sort_keys=True).encode()).hexdigest()[:16]
        self._store_key = f"{token_path}:{digest}"
        self._lock = asyncio.Lock()

    @classmethod
    def wecom(cls, session: aiohttp.ClientSession, *, corp_id: str, secret: str, clock: Clock,
              token_store: TokenStore | None = None, api_base: str = WECOM_API_BASE,
              timeout: float = 10.0) -> ApiClient:
        return cls(session, token_path="/cgi-bin/gettoken", token_params={"corpid": corp_id, "corpsecret": secret},
                   api_base=api_base, token_store=token_store or MemoryTokenStore(), clock=clock, timeout=timeout)

    @classmethod
    def mp(cls, session: aiohttp.ClientSession, *, app_id: str, secret: str, clock: Clock,
           token_store: TokenStore | None = None, api_base: str = MP_API_BASE, timeout: float = 10.0) -> ApiClient:
        params = {"grant_type": "client_credential", "appid": app_id, "secret": secret}
        return cls(session, token_path="/cgi-bin/token", token_params=params, api_base=api_base,
                   token_store=token_store or MemoryTokenStore(), clock=clock, timeout=timeout)

    @property
    def api_base(self) -> str:
        return self._base

    async def call(self, path: str, payload: dict) -> dict:
        """POST ``payload`` to ``path``; on a rejected token refresh it and retry exactly once."""
        token = await self.access_token()
        try:
            return await self._post(path, payload, token)
        except _TokenRejected:
            token = await self.access_token(rejected=token)
        try:
            return await self._post(path, payload, token)
        except _TokenRejected as exc:
            raise TemporaryFailure(f"{path}: fresh access token rejected too (errcode {exc})") from None

    async def access_token(self, *, rejected: str | None = None) -> str:
        """The cached token unless it expires within 5 minutes or is the ``rejected`` one."""
        async with self._lock:
            cached = await self._store.get(self._store_key)
            if cached and cached[0] != rejected and cached[1] - self._clock.now() > REFRESH_MARGIN:
                return cached[0]
            return await self._fetch_token()

    async def _fetch_token(self) -> str:
        what = self._token_path
        data = await request_json(self._session, "GET", self._base + self._token_path, timeout=self._timeout,
                                  what=what, params=self._token_params)
        try:
            check_errcode(data, what)
        except _TokenRejected as exc:  # 40001 on gettoken means a wrong secret
            raise ApiError(int(str(exc)), str(data.get("errmsg", "")), f"{what} (check the secret)") from None
        token, expires_in = data.get("access_token"), data.get("expires_in", 7200)
        if not isinstance(token, str) or not token or not isinstance(expires_in, int):
            raise TemporaryFailure(f"{what}: answer without access_token")
        await self._store.put(self._store_key, token, self._clock.now() + timedelta(seconds=expires_in))
        return token

    async def _post(self, path: str, payload: dict, token: str) -> dict:
        data = await post_json(self._session, self._base + path, payload, timeout=self._timeout, what=path,
                               params={"access_token": token})
        return check_errcode(data, path)

    async def download(self, path: str, params: dict, *, max_bytes: int, timeout: float) -> Download:
        """GET ``path`` (e.g. /cgi-bin/media/get) for bytes with the access token; an error answered as JSON
        becomes the matching failure (40007: the media id expired or is wrong), a rejected token is refreshed
        once. The Official Account answers a video with ``{"video_url"}``: that address is fetched instead."""
        token = await self.access_token()
        for attempt in (1, 2):
            got = await download(self._session, self._base + path, params={**params, "access_token": token},
                                 max_bytes=max_bytes, timeout=timeout, what=path)
            answer = json_answer(got)
            if answer is None:
                return got
            if isinstance(answer.get("video_url"), str) and answer["video_url"].startswith(("http://", "https://")):
                return await download(self._session, answer["video_url"], max_bytes=max_bytes, timeout=timeout,
                                      what=f"{path} video_url")
            try:
                check_errcode(answer, path)
            except _TokenRejected:
                if attempt == 2:
                    raise TemporaryFailure(f"{path}: fresh access token rejected too") from None
                token = await self.access_token(rejected=token)
                continue
            if answer.get("errcode", 0) == 0:
                raise PermanentFailure(f"{path}: answered JSON, not the medium")
        raise TemporaryFailure(f"{path}: no answer")  # pragma: no cover - the loop always returns or raises


MEDIA_ERRORS = {40007: "expired or unknown media id", 40004: "media type not allowed", 45001: "media too large"}


class MediaApiFetcher:
    """WeCom app and Official Account media: ``GET /cgi-bin/media/get?media_id=`` with the access token."""

    def __init__(self, client: ApiClient, *, timeout: float) -> None:
        self._client, self._timeout = client, timeout

    async def fetch(self, job: MediaJob, *, max_bytes: int) -> Download:
        if job.source != "media_id":
            raise PermanentFailure(f"{job.channel}: cannot fetch a {job.source} medium")
        return await self._client.download("/cgi-bin/media/get", {"media_id": job.ref}, max_bytes=max_bytes,
                                           timeout=self._timeout)
