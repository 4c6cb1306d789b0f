"""Data retention: after ``[privacy] retain_message_days`` the words residents sent (message text, what was read
from their photos and voice notes, shared locations, the media themselves) and the texts the bot sent are purged;
the case record (its summary, events, outcome) is kept. Run by ``gridbot purge`` and by the daily scheduled job."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from storage import retention

BATCH = 500


@dataclass
class Purged:
    messages: int = 0
    media: int = 0
    outbox: int = 0
    files: list[str] = field(default_factory=list)  # media-store keys no row needs any more: the caller deletes them

    @property
    def total(self) -> int:
        return self.messages + self.media + self.outbox


def purge(session: Session, *, now: datetime, days: int, dry_run: bool = False, batch: int = BATCH) -> Purged:
    """Purge what is older than ``days`` (0: keep everything); with ``dry_run`` only count. No commit."""
    done = Purged()
    if days <= 0:
        return done
    before = now - timedelta(days=days)
    keys: set[str] = set()
    for kind in retention.KINDS:
        if dry_run:
            setattr(done, kind, retention.count_old(session, kind=kind, before=before))
            continue
        count = 0
        while rows := retention.old_rows(session, kind=kind, before=before, limit=batch):
            for row in rows:
                keys.update(_forget(kind, row))
                session.add(row)
            session.flush()
            count += len(rows)
        setattr(done, kind, count)
    done.files = sorted(k for k in keys if not retention.store_key_in_use(session, key=k))
    return done


def _forget(kind: str, row: Any) -> list[str]:
    """Blank one row's personal content; returns the media-store key it held, if any."""
    if kind == "messages":
        row.text, row.sender_name, row.reply_hint, row.label, row.details = "", None, {}, None, None
        return []
    if kind == "outbox":
        row.text, row.reply_hint = "", {}
        return []
    key = [row.store_key] if row.store_key else []
    row.inline_data, row.recognized_text, row.qr_payloads, row.name = None, "", [], ""
    row.state, row.store_key, row.ref = retention.PURGED_MEDIA, "", ""
    return key
