"""Outbox queries: enqueue inside the caller's transaction; claim, mark sent / retry / failed."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Sequence

from sqlalchemy import func, or_
from sqlmodel import Session, select

from storage.models import Case, Outbox


def enqueue(
    session: Session, *, now: datetime, idempotency_key: str, channel: str, chat_id: str, text: str,
    is_direct: bool = False, mentions: list[str] | None = None, kind: str = "reply",
    case_id: int | None = None, reply_hint: dict | None = None,
) -> Outbox:
    row = Outbox(
        idempotency_key=idempotency_key, channel=channel, chat_id=chat_id, text=text, is_direct=is_direct,
        mentions=list(mentions or []), kind=kind, case_id=case_id, reply_hint=dict(reply_hint or {}),
        next_attempt_at=now, created_at=now,
    )
    session.add(row)
    return row


def claim_due(session: Session, *, now: datetime, limit: int = 50) -> Sequence[Outbox]:
    """Due pending rows, oldest first, locked so that a second sender process skips them."""
    stmt = (
        select(Outbox)
        .where(Outbox.status == "pending", Outbox.next_attempt_at <= now)
        .order_by(Outbox.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return session.exec(stmt).all()


def mark_sent(session: Session, *, row: Outbox, now: datetime) -> None:
    row.status = "sent"
    row.sent_at = now
    row.attempts += 1
    row.last_error = None
    session.add(row)


def mark_retry(session: Session, *, row: Outbox, now: datetime, delay: timedelta, error: str) -> None:
    row.attempts += 1
    row.next_attempt_at = now + delay
    row.last_error = error[:500]
    session.add(row)


def postpone(session: Session, *, row: Outbox, now: datetime, delay: timedelta, reason: str) -> None:
    """Due again after ``delay``; attempts unchanged (a rate limit is not a failed delivery)."""
    row.next_attempt_at = now + delay
    row.last_error = reason[:500]
    session.add(row)


def mark_failed(session: Session, *, row: Outbox, now: datetime, error: str) -> None:
    row.attempts += 1
    row.status = "failed"
    row.last_error = error[:500]
    session.add(row)


def sent_on(session: Session, *, channel: str, chat_id: str | None = None) -> Sequence[Outbox]:
    stmt = select(Outbox).where(Outbox.channel == channel, Outbox.status == "sent")
    if chat_id is not None:
        stmt = stmt.where(Outbox.chat_id == chat_id)
    return session.exec(stmt.order_by(Outbox.sent_at, Outbox.id)).all()


def failed_rows(session: Session, *, limit: int = 100) -> Sequence[Outbox]:
    return session.exec(select(Outbox).where(Outbox.status == "failed").order_by(Outbox.id.desc()).limit(limit)).all()


def failed_since(session: Session, *, since: datetime, limit: int = 20) -> Sequence[Outbox]:
    """Outbox rows that failed for good, created after ``since`` (they fail within minutes of creation)."""
    return session.exec(select(Outbox).where(Outbox.status == "failed", Outbox.created_at > since)
                        .order_by(Outbox.id).limit(limit)).all()


def retry_failed(session: Session, *, row: Outbox, now: datetime) -> None:
    """Send a row that failed for good once more (an officer asked): due now, with a fresh count of attempts."""
    row.status = "pending"
    row.attempts = 0
    row.next_attempt_at = now
    session.add(row)


def rows_by_id(session: Session, *, ids: Sequence[int]) -> dict[int, Outbox]:
    if not ids:
        return {}
    return {row.id: row for row in session.exec(select(Outbox).where(Outbox.id.in_(list(ids)))).all()}


def recent_texts(session: Session, *, channel: str, chat_id: str, since: datetime, limit: int) -> Sequence[str]:
    """What the bot wrote to one chat since ``since``, newest first."""
    stmt = (select(Outbox.text).where(Outbox.channel == channel, Outbox.chat_id == chat_id, Outbox.created_at >= since)
            .order_by(Outbox.id.desc()).limit(limit))
    return session.exec(stmt).all()


def count_in_chat(session: Session, *, channel: str, chat_id: str, since: datetime, kinds: Sequence[str]) -> int:
    """Public rows written to one chat since ``since`` of the given kinds."""
    stmt = select(func.count()).select_from(Outbox).where(
        Outbox.channel == channel, Outbox.chat_id == chat_id, Outbox.is_direct.is_(False),
        Outbox.created_at >= since, Outbox.kind.in_(list(kinds)))
    return session.exec(stmt).one()


def public_replies_to(session: Session, *, message_ids: Sequence[int]) -> int:
    """Public rows written in answer to these messages (their keys are ``msg-<id>-<n>``)."""
    if not message_ids:
        return 0
    keys = or_(*(Outbox.idempotency_key.like(f"msg-{i}-%") for i in message_ids))
    stmt = select(func.count()).select_from(Outbox).where(Outbox.is_direct.is_(False), keys)
    return session.exec(stmt).one()


def warned_in_chat(session: Session, *, channel: str, chat_id: str, since: datetime, scam_type: str) -> bool:
    """Whether a public fraud warning for ``scam_type`` went to this chat since ``since``."""
    stmt = (select(Outbox.id).join(Case, Case.id == Outbox.case_id)
            .where(Outbox.channel == channel, Outbox.chat_id == chat_id, Outbox.is_direct.is_(False),
                   Outbox.created_at >= since, Outbox.kind == "alert", Case.kind == "fraud",
                   Case.scam_type == scam_type).limit(1))
    return session.exec(stmt).first() is not None


def alerted_about(session: Session, *, case_id: int, since: datetime) -> int:
    """Direct alerts about one case written since ``since``."""
    stmt = select(Outbox.id).where(Outbox.case_id == case_id, Outbox.is_direct.is_(True), Outbox.kind == "alert",
                                   Outbox.created_at >= since)
    return len(session.exec(stmt).all())
