"""Queries of the media table: rows written with their message, claimed by the media worker, shown on cases."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Sequence

from sqlalchemy import insert
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from storage.models import ACTIVE_STATUSES, Case, Media, Message

PENDING, STORED, FAILED = "pending", "stored", "failed"


def insert_media(conn: Connection, *, message_id: int, rows: Sequence[dict[str, Any]]) -> None:
    """The media rows of a message just stored (Core insert, the inbound hot path). Does not commit."""
    if rows:
        conn.execute(insert(Media.__table__), [{**row, "message_id": message_id} for row in rows])


def claim_due(session: Session, *, now: datetime, limit: int = 8) -> Sequence[Media]:
    """Pending media whose next attempt is due, oldest first; other workers skip the rows claimed here."""
    stmt = (select(Media).where(Media.state == PENDING, Media.next_attempt_at <= now)
            .order_by(Media.id).limit(limit).with_for_update(skip_locked=True))
    return session.exec(stmt).all()


def get_media(session: Session, *, media_id: int) -> Media | None:
    return session.get(Media, media_id)


def mark_stored(session: Session, *, row: Media, now: datetime, content_type: str, size: int, sha256: str,
                store_key: str) -> None:
    row.state, row.error, row.inline_data = STORED, None, None
    row.content_type, row.size, row.sha256, row.store_key = content_type, size, sha256, store_key
    row.fetched_at = now
    row.attempts += 1
    session.add(row)


def record_reading(session: Session, *, row: Media, reading: str, text: str = "", qr: Sequence[str] = (),
                   read_ms: int | None = None) -> None:
    row.reading, row.recognized_text, row.qr_payloads, row.read_ms = reading, text, list(qr), read_ms
    session.add(row)


def mark_retry(session: Session, *, row: Media, now: datetime, delay: timedelta, error: str) -> None:
    row.attempts += 1
    row.error = error[:500]
    row.next_attempt_at = now + delay
    session.add(row)


def mark_failed(session: Session, *, row: Media, now: datetime, error: str) -> None:
    row.state, row.error, row.inline_data = FAILED, error[:500], None
    row.attempts += 1
    row.fetched_at = now
    session.add(row)


def media_of_message(session: Session, *, message_id: int) -> Sequence[Media]:
    return session.exec(select(Media).where(Media.message_id == message_id).order_by(Media.id)).all()


def media_of_case(session: Session, *, case_id: int) -> Sequence[Media]:
    """Every photo, voice note, video and file linked to a case, oldest first (the console lists these)."""
    return session.exec(select(Media).where(Media.case_id == case_id).order_by(Media.id)).all()


def media_of_cases(session: Session, *, case_ids: Sequence[int]) -> dict[int, list[Media]]:
    """The media of several cases at once: case id → its media, oldest first."""
    found: dict[int, list[Media]] = {}
    if case_ids:
        rows = session.exec(select(Media).where(Media.case_id.in_(list(case_ids))).order_by(Media.id)).all()
        for row in rows:
            found.setdefault(row.case_id, []).append(row)
    return found


def attach_to_case(session: Session, *, message_id: int, case_id: int) -> None:
    """Link a message's media to the case the message went into (once: a case already set stays)."""
    for row in media_of_message(session, message_id=message_id):
        if row.case_id is None:
            row.case_id = case_id
            session.add(row)


def unsettled(session: Session, *, message_id: int) -> bool:
    """Whether any medium of the message is still waiting to be fetched and read."""
    stmt = select(Media.id).where(Media.message_id == message_id, Media.state == PENDING).limit(1)
    return session.exec(stmt).first() is not None


def release_message(session: Session, *, message_id: int, text: str) -> None:
    """The message's media are fetched and read: it carries ``text`` (what was read) and is ready to handle."""
    message = session.get(Message, message_id, with_for_update=True)
    if message is not None and message.media_pending:
        message.text = text
        message.media_pending = False
        session.add(message)


def recent_of_sender(session: Session, *, channel: str, sender_id: str, since: datetime,
                     kinds: Sequence[str]) -> Sequence[Message]:
    """The sender's messages of these kinds since a time, newest first (a location pin before a call for help)."""
    stmt = (select(Message).where(Message.channel == channel, Message.sender_id == sender_id,
                                  Message.kind.in_(list(kinds)), Message.received_at >= since)
            .order_by(Message.id.desc()).limit(5))
    return session.exec(stmt).all()


def search(session: Session, *, case_id: int | None = None, kind: str | None = None, state: str | None = None,
           limit: int = 200) -> Sequence[Media]:
    """Media rows filtered for a list view (the console): by case, kind and fetch state, newest first."""
    stmt = select(Media)
    if case_id is not None:
        stmt = stmt.where(Media.case_id == case_id)
    if kind:
        stmt = stmt.where(Media.kind == kind)
    if state:
        stmt = stmt.where(Media.state == state)
    return session.exec(stmt.order_by(Media.id.desc()).limit(limit)).all()




def recent_active_cases(session: Session, *, reporter_id: str, kinds: Sequence[str], since: datetime) -> Sequence[Case]:
    """The reporter's cases of these kinds still being worked on and touched since ``since``, newest first: where
    a photo, a voice note or a location pin they send next belongs."""
    stmt = select(Case).where(Case.reporter_id == reporter_id, Case.kind.in_(list(kinds)),
                              Case.status.in_(list(ACTIVE_STATUSES)), Case.updated_at >= since)
    return session.exec(stmt.order_by(Case.updated_at.desc(), Case.id.desc())).all()


def locations_of_case(session: Session, *, case_id: int) -> Sequence[Message]:
    """The location pins that joined a case, oldest first."""
    stmt = select(Message).where(Message.case_id == case_id, Message.kind == "location").order_by(Message.id)
    return session.exec(stmt).all()
