"""Downloading a medium over HTTP with a size cap that holds whatever the server declares, and the fetcher
interface each channel implements (``Channel.media``)."""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Protocol

import aiohttp

from bot.channels.base import PermanentFailure, TemporaryFailure

_CHUNK = 64 * 1024


@dataclass(frozen=True)
class MediaJob:
    """One media row as a fetcher sees it."""

    id: int
    message_id: int
    kind: str
    channel: str
    source: str  # media_id, url, inline
    ref: str
    attempts: int
    declared_format: str = ""
    inline_data: bytes | None = None


@dataclass(frozen=True)
class Download:
    data: bytes
    content_type: str = ""


class MediaFetcher(Protocol):
    async def fetch(self, job: MediaJob, *, max_bytes: int) -> Download:
        """The medium's bytes, or TemporaryFailure (try again later) / PermanentFailure (never: expired, refused)."""


async def download(session: aiohttp.ClientSession, url: str, *, max_bytes: int, timeout: float, what: str,
                   params: dict | None = None, headers: dict | None = None) -> Download:
    """GET ``url``; more than ``max_bytes`` is refused as soon as it is declared or read (PermanentFailure)."""
    try:
        async with session.get(url, params=params, headers=headers,
                               timeout=aiohttp.ClientTimeout(total=timeout)) as resp:
            if resp.status >= 500 or resp.status == 429:
                raise TemporaryFailure(f"{what}: HTTP {resp.status}")
            if resp.status == 404 or resp.status == 410:
                raise PermanentFailure(f"{what}: HTTP {resp.status}: gone (expired)")
            if resp.status >= 400:
                raise PermanentFailure(f"{what}: HTTP {resp.status}")
            if resp.content_length is not None and resp.content_length > max_bytes:
                raise PermanentFailure(f"too large: {resp.content_length} bytes declared, the limit is {max_bytes}")
            body = bytearray()
            async for chunk in resp.content.iter_chunked(_CHUNK):
                body += chunk
                if len(body) > max_bytes:
                    raise PermanentFailure(f"too large: more than {max_bytes} bytes")
            return Download(bytes(body), resp.headers.get("Content-Type", ""))
    except asyncio.TimeoutError:
        raise TemporaryFailure(f"{what}: timed out after {timeout} s") from None
    except aiohttp.ClientError as exc:
        raise TemporaryFailure(f"{what}: {type(exc).__name__}: {exc}") from None


def json_answer(download: Download) -> dict | None:
    """A JSON object where bytes were expected (WeChat answers an error, or a video's address, that way)."""
    kind = download.content_type.split(";")[0].strip().lower()
    if kind not in ("application/json", "text/plain", "text/json") and not download.data[:1] == b"{":
        return None
    try:
        value = json.loads(download.data[:65536])
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return value if isinstance(value, dict) else None
