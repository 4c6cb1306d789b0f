"""The worker's claim of stored messages: which to handle next (the priority lane first, each chat in arrival
order), the lock each one is handled under, and the handled mark that only one worker can write.

A batch is chosen by one or two reads that lock nothing; each message of it is then locked (PostgreSQL: FOR UPDATE
SKIP LOCKED) in the transaction that handles it, so a failure rolls back only that message and another process
skips what this one holds. Every statement is built once (``_reads``, ``_lock``, ``_mark``) and reused with bound
values.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, exists, inspect, literal_column, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from storage.models import Message


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    channel: str
    chat_id: str
    urgent: bool  # in the priority lane (a lane message, or an older message of its chat taken along first)

    @property
    def chat(self) -> tuple[str, str]:
        return self.channel, self.chat_id


def candidates(session: Session, *, now: datetime, limit: int) -> list[Candidate]:
    """Up to ``limit`` messages to handle, in the order to handle them: first the chats with a due lane message
    (priority > 0), each with its older pending messages taken along first (a chat's later message is never handled
    before an earlier one), then the oldest due messages of any chat. A chat whose older message waits for its
    retry is held back whole; a message waiting for its media, or parked, holds nothing back."""
    statements = _reads(limit)
    taken: dict[int, Candidate] = {}
    lane = session.execute(statements.lane, {"now": now}).all()
    upto: dict[tuple[str, str], int] = {}
    for row in lane:
        upto[(row.channel, row.chat_id)] = max(row.id, upto.get((row.channel, row.chat_id), 0))
    for (channel, chat_id), last in upto.items():
        for row in session.execute(statements.chat_prefix, {"channel": channel, "chat_id": chat_id, "upto": last}):
            taken.setdefault(row.id, Candidate(row.id, row.channel, row.chat_id, True))
    if len(taken) < limit:
        for row in session.execute(statements.due, {"now": now}):
            taken.setdefault(row.id, Candidate(row.id, row.channel, row.chat_id, (row.channel, row.chat_id) in upto))
    # Lane chats first; within a chat, ids ascending. The lane's part of a chat and the due part are both the
    # oldest pending messages of that chat, so together they are still the chat's messages in arrival order.
    ordered = sorted(taken.values(), key=lambda c: (not c.urgent, c.id))
    return ordered[:limit]


def lock(session: Session, *, message_id: int) -> Message | None:
    """The message row, locked for this transaction (PostgreSQL; SQLite has one writer); None while another
    process holds it."""
    return session.scalars(_lock(), {"message_id": message_id}).first()


def mark_handled(session: Session, *, message: Message, now: datetime) -> bool:
    """Write the handled mark, together with what handling changed on the message's row (its label, intent, case),
    in one Core statement, unless someone else has: False when another process handled it first (SQLite, where
    nothing is locked: the caller rolls back its work). The rest of the session's changes are flushed first; the
    message leaves the session, so the ORM does not write its row a second time (that flush cost as much as the
    mark itself)."""
    state = inspect(message)
    changes = {key: getattr(message, key) for key in state.committed_state if key not in _MARK_COLUMNS}
    session.expunge(message)
    session.flush()
    values = {f"set_{key}": value for key, value in changes.items()}
    result = session.execute(_mark(tuple(sorted(changes))), {"message_id": message.id, "now": now, **values})
    return result.rowcount == 1


def is_due(message: Message, now: datetime) -> bool:
    return message.next_attempt_at is None or message.next_attempt_at <= now


@dataclass(frozen=True)
class _Reads:
    lane: Any
    chat_prefix: Any
    due: Any


_MARK_COLUMNS = frozenset({"handled_at", "next_attempt_at"})  # what the mark itself writes


@cache
def _reads(limit: int) -> _Reads:
    now = bindparam("now")
    handleable = (Message.handled_at.is_(None), Message.media_pending.is_(False), Message.parked_at.is_(None))
    due = or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= now)
    earlier = aliased(Message)
    held_back = exists().where(  # an older message of the chat waits for its retry: its later ones wait too
        earlier.channel == Message.channel, earlier.chat_id == Message.chat_id, earlier.handled_at.is_(None),
        earlier.media_pending.is_(False), earlier.parked_at.is_(None), earlier.next_attempt_at > now,
        earlier.id < Message.id,
    )
    columns = (Message.id, Message.channel, Message.chat_id)
    in_lane = Message.priority > literal_column("0")  # literal: the partial index ix_message_lane matches it
    return _Reads(
        lane=select(*columns).where(*handleable, in_lane, due, ~held_back).order_by(Message.id).limit(limit),
        chat_prefix=(select(*columns)
                     .where(*handleable, Message.channel == bindparam("channel"),
                            Message.chat_id == bindparam("chat_id"), Message.id <= bindparam("upto"))
                     .order_by(Message.id).limit(limit)),
        due=select(*columns).where(*handleable, due, ~held_back).order_by(Message.id).limit(limit),
    )


@cache
def _lock() -> Any:
    return select(Message).where(Message.id == bindparam("message_id")).with_for_update(skip_locked=True, of=Message)


@cache
def _mark(columns: tuple[str, ...]) -> Any:
    """The mark, setting also ``columns`` (bound as ``set_<name>``): one statement for each set of columns handling
    changes (a few: the label alone, the label and the case), each built once."""
    table = Message.__table__
    return (update(table).where(table.c.id == bindparam("message_id"), table.c.handled_at.is_(None))
            .values(handled_at=bindparam("now"), next_attempt_at=None,
                    **{name: bindparam(f"set_{name}", type_=table.c[name].type) for name in columns}))
