"""Links officers open to see a message's photo, voice note or file: signed, so a link cannot be guessed, and
valid for ``LINK_DAYS``. The server checks the same signature (bot/web/media.py)."""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

LINK_DAYS = 30


def base_url(config: Any) -> str:
    if config.media.base_url:
        return config.media.base_url.rstrip("/")
    return f"http://{config.server.host}:{config.server.port}"


def signature(secret: str, media_id: int, expires: int) -> str:
    return hmac.new(secret.encode("utf-8"), f"media:{media_id}:{expires}".encode(), hashlib.sha256).hexdigest()[:32]


def media_link(config: Any, media_id: int, now: datetime) -> str:
    expires = int((now + timedelta(days=LINK_DAYS)).timestamp())
    sig = signature(config.api.token, media_id, expires)
    return f"{base_url(config)}/media/{media_id}?exp={expires}&sig={sig}"


def valid(config: Any, media_id: int, expires: str, sig: str, now: datetime) -> bool:
    if not expires.isdigit() or int(expires) < now.timestamp():
        return False
    return hmac.compare_digest(sig.encode(), signature(config.api.token, media_id, int(expires)).encode())


def map_link(lat: float, lng: float, label: str = "") -> str:
    """A map pin officers open on a phone or a desk (WeChat's coordinates are GCJ-02, as this map's)."""
    name = f"&name={quote(label)}" if label else ""
    return f"https://uri.amap.com/marker?position={lng},{lat}{name}"
