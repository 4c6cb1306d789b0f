"""A media row as the case API and the console show it, and as lines on a case card."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers import texts
from handlers.media.links import map_link, media_link
from storage.models import Media


def media_json(config: Any, row: Media, now: datetime) -> dict:
    """Everything but the bytes: kind, state, type, size, checksum, what was read, and a signed link."""
    return {
        "id": row.id, "message_id": row.message_id, "case_id": row.case_id, "kind": row.kind,
        "channel": row.channel, "state": row.state, "error": row.error, "content_type": row.content_type,
        "size": row.size, "sha256": row.sha256, "name": row.name, "reading": row.reading,
        "recognized_text": row.recognized_text, "qr_payloads": list(row.qr_payloads or []),
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "fetched_at": row.fetched_at.isoformat() if row.fetched_at else None,
        "url": media_link(config, row.id, now) if row.state == "stored" else None,
    }


def media_line(config: Any, row: Media, now: datetime) -> str:
    """'图片：http://…/media/3?…' for a card; a medium that could not be fetched says so."""
    kind = texts.MEDIA_KIND_NAMES.get(row.kind, texts.MEDIA_KIND_NAMES["file"])
    if row.state == "failed":
        return texts.MEDIA_LINE_FAILED.format(kind=kind)
    if row.state == "purged":
        return texts.MEDIA_LINE_PURGED.format(kind=kind)
    return texts.MEDIA_LINE.format(kind=kind, link=media_link(config, row.id, now))


def location_line(location: dict) -> str:
    """'位置：幸福小区8栋（31.230416, 121.473701）https://uri.amap.com/…'."""
    lat, lng, label = location["lat"], location["lng"], location.get("label") or ""
    return texts.LOCATION_LINE.format(label=label or texts.LOCATION_NO_LABEL, lat=lat, lng=lng,
                                      map=map_link(lat, lng, label))
