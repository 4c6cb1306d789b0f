"""The inbound hot path: Core INSERTs deduplicated on (channel, channel_msg_id), one message or a batch of them in
one statement (the group commit of bot/intake.py); parked messages."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import bindparam, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Row
from sqlmodel import Session

from storage.models import Message

_TABLE = Message.__table__


def store_message(conn: Connection, *, values: dict[str, Any]) -> tuple[int, bool]:
    """Insert one message unless it is already stored. Returns (id, is_new). Does not commit."""
    return store_messages(conn, rows=[values])[0]


def store_messages(conn: Connection, *, rows: Sequence[dict[str, Any]]) -> list[tuple[int, bool]]:
    """Insert a batch of messages in one statement, each unless it is already stored or earlier in the batch.
    Returns (id, is_new) for each row, in order: a redelivery, in the batch or across batches, gets the stored id
    and False. Ids follow the batch's order (arrival order). Does not commit."""
    first: dict[tuple[str, str], dict[str, Any]] = {}
    for values in rows:
        first.setdefault((values["channel"], values["channel_msg_id"]), values)
    if not first:
        return []
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = (  # one statement, compiled once: SQLAlchemy sends the rows as one multi-row INSERT ("insertmanyvalues")
        insert(_TABLE)
        .on_conflict_do_nothing(index_elements=["channel", "channel_msg_id"])
        .returning(_TABLE.c.id, _TABLE.c.channel, _TABLE.c.channel_msg_id)
    )
    new = {(channel, msg_id): row_id for row_id, channel, msg_id in conn.execute(stmt, list(first.values()))}
    stored = {}
    missing = [key for key in first if key not in new]
    if missing:
        key_columns = tuple_(_TABLE.c.channel, _TABLE.c.channel_msg_id)
        stored = {(channel, msg_id): row_id for row_id, channel, msg_id in conn.execute(
            select(_TABLE.c.id, _TABLE.c.channel, _TABLE.c.channel_msg_id).where(key_columns.in_(missing)))}
    results, answered = [], set()
    for values in rows:
        key = (values["channel"], values["channel_msg_id"])
        is_new = key in new and key not in answered
        answered.add(key)
        results.append((new[key] if key in new else stored[key], is_new))
    return results


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
    priority: int = 0,
) -> dict[str, Any]:
    """Column values for store_message and store_messages. ``priority``: the intake pre-screen's
    (handlers/nlu/priority.py)."""
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
        "priority": priority,
    }


def parked_messages(session: Session, *, limit: int = 100, since: datetime | None = None) -> Sequence[Message]:
    """Messages parked after their last try, newest first (``since``: parked at or after)."""
    stmt = select(Message).where(Message.parked_at.is_not(None), Message.handled_at.is_(None))
    if since is not None:
        stmt = stmt.where(Message.parked_at >= since)
    return session.scalars(stmt.order_by(Message.parked_at.desc(), Message.id.desc()).limit(limit)).all()


def count_parked(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Message).where(
        Message.parked_at.is_not(None), Message.handled_at.is_(None))) or 0


def unpark(session: Session, *, ids: list[int] | None) -> list[int]:
    """Put parked messages back in the queue with fresh tries (``ids`` None: all of them). Returns their ids."""
    stmt = select(Message).where(Message.parked_at.is_not(None), Message.handled_at.is_(None))
    if ids is not None:
        stmt = stmt.where(Message.id.in_(ids))
    rows = session.scalars(stmt.order_by(Message.id)).all()
    for row in rows:
        row.parked_at, row.next_attempt_at, row.attempts = None, None, 0
        session.add(row)
    return [row.id for row in rows]


_HISTORY = _TABLE.c  # the columns the flood, repeat and budget rules read of a sender's earlier messages
_SENDER_HISTORY = (select(_HISTORY.id, _HISTORY.text, _HISTORY.received_at, _HISTORY.intent, _HISTORY.case_id)
                   .where(_HISTORY.channel == bindparam("channel"), _HISTORY.chat_id == bindparam("chat_id"),
                          _HISTORY.sender_id == bindparam("sender_id"), _HISTORY.received_at >= bindparam("since"),
                          _HISTORY.id < bindparam("before"))
                   .order_by(_HISTORY.id.desc()).limit(bindparam("limit")))


def sender_history(session: Session, *, message: Message, since: datetime, limit: int) -> Sequence[Row]:
    """The sender's earlier messages in the same chat received at or after ``since``, newest first: id, text,
    received_at, intent and case_id, as plain rows of a prebuilt Core statement, without the ORM's cost (and its
    autoflush: the rows are earlier messages, which the transaction handling a later one does not change)."""
    return session.connection().execute(_SENDER_HISTORY, {
        "channel": message.channel, "chat_id": message.chat_id, "sender_id": message.sender_id, "since": since,
        "before": message.id, "limit": limit}).all()


def pending_from_sender(session: Session, *, message: Message, limit: int) -> Sequence[Message]:
    """The sender's later typed messages in the same chat still waiting for the worker, oldest first (locked, so
    that another worker process skips them)."""
    stmt = (select(Message)
            .where(Message.channel == message.channel, Message.chat_id == message.chat_id,
                   Message.sender_id == message.sender_id, Message.id > message.id, Message.handled_at.is_(None),
                   Message.parked_at.is_(None), Message.media_pending.is_(False), Message.kind == "text")
            .order_by(Message.id).limit(limit).with_for_update(skip_locked=True))
    return session.scalars(stmt).all()
