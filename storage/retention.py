"""Queries for the retention purge: old message text, media content and sent outbox text. Keyword-only, session
first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Media, Message, Outbox

PURGED_MEDIA = "purged"
KINDS = ("messages", "media", "outbox")


def _where(kind: str, before: datetime) -> tuple[Any, list[Any]]:
    """The table and the conditions of what ``kind`` still keeps from before ``before``."""
    if kind == "messages":  # handled messages whose words are still kept
        return Message, [col(Message.received_at) < before, col(Message.handled_at).is_not(None), Message.text != ""]
    if kind == "media":  # fetched (or failed) media whose content — bytes, file, words read — is still kept
        return Media, [col(Media.created_at) < before, col(Media.state).in_(("stored", "failed"))]
    return Outbox, [col(Outbox.created_at) < before, col(Outbox.status).in_(("sent", "failed")), Outbox.text != ""]


def old_rows(session: Session, *, kind: str, before: datetime, limit: int) -> Sequence[Any]:
    table, where = _where(kind, before)
    return session.exec(select(table).where(*where).order_by(table.id).limit(limit)).all()


def count_old(session: Session, *, kind: str, before: datetime) -> int:
    table, where = _where(kind, before)
    return session.exec(select(func.count()).select_from(table).where(*where)).one()


def store_key_in_use(session: Session, *, key: str) -> bool:
    """Whether a media row that is not purged still refers to the stored file ``key``."""
    stmt = select(Media.id).where(Media.store_key == key, Media.state != PURGED_MEDIA).limit(1)
    return session.exec(stmt).first() is not None
