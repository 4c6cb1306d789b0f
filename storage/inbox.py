"""The inbound hot path: one Core INSERT, deduplicated on (channel, channel_msg_id)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from storage.models import Message

_TABLE = Message.__table__


def store_message(conn: Connection, *, values: dict[str, Any]) -> tuple[int, bool]:
    """Insert one message unless it is already stored. Returns (id, is_new). Does not commit."""
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(_TABLE)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["channel", "channel_msg_id"])
        .returning(_TABLE.c.id)
    )
    new_id = conn.execute(stmt).scalar()
    if new_id is not None:
        return new_id, True
    existing = conn.execute(
        select(_TABLE.c.id).where(
            _TABLE.c.channel == values["channel"],
            _TABLE.c.channel_msg_id == values["channel_msg_id"],
        )
    ).scalar_one()
    return existing, False


def message_values(
    *,
    channel: str,
    channel_msg_id: str,
    chat_id: str,
    sender_id: str,
    text: str,
    sent_at: datetime,
    received_at: datetime,
    is_direct: bool = False,
    mentions_bot: bool = False,
    sender_name: str | None = None,
    reply_hint: dict | None = None,
    kind: str = "text",
    media_pending: bool = False,
    details: dict | None = None,
) -> dict[str, Any]:
    """Column values for store_message."""
    return {
        "channel": channel,
        "channel_msg_id": channel_msg_id,
        "chat_id": chat_id,
        "sender_id": sender_id,
        "sender_name": sender_name,
        "text": text,
        "is_direct": is_direct,
        "mentions_bot": mentions_bot,
        "reply_hint": reply_hint or {},
        "sent_at": sent_at,
        "received_at": received_at,
        "attempts": 0,
        "kind": kind,
        "media_pending": media_pending,
        "details": details,
    }
