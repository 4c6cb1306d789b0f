"""Officers' corrections of the classifier (/wrong) and what the bot posted in public for a case. Keyword-only,
session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterator, Sequence

from sqlalchemy import or_
from sqlmodel import Session, col, select

from storage.models import Correction, Outbox

PUBLIC_KINDS = ("alert", "reply")  # a warning, a call-for-help acknowledgement, a case acknowledgement


def add(session: Session, *, now: datetime, **fields: Any) -> Correction:
    row = Correction(created_at=now, **fields)
    session.add(row)
    session.flush()
    return row


def iter_corrections(session: Session, *, since: datetime | None = None, until: datetime | None = None,
                     with_message: bool = False) -> Iterator[Correction]:
    """Every correction, oldest first; ``with_message``: only those of a resident's message (training rows)."""
    stmt = select(Correction)
    if since is not None:
        stmt = stmt.where(Correction.created_at >= since)
    if until is not None:
        stmt = stmt.where(Correction.created_at < until)
    if with_message:
        stmt = stmt.where(col(Correction.message_id).is_not(None))
    yield from session.exec(stmt.order_by(Correction.id))


def corrections_of_case(session: Session, *, case_id: int) -> Sequence[Correction]:
    return session.exec(select(Correction).where(Correction.case_id == case_id).order_by(Correction.id)).all()


def public_rows_of_case(session: Session, *, case_id: int, message_ids: Sequence[int],
                        kinds: Sequence[str] = PUBLIC_KINDS) -> Sequence[Outbox]:
    """What the bot itself posted in a group about a case, not failed: every alert (fraud warning, call-for-help
    acknowledgement) and its answers to the case's own messages — an officer's /reply is not the bot's word."""
    answers = [col(Outbox.idempotency_key).startswith(f"msg-{m}-") for m in message_ids]
    stmt = select(Outbox).where(Outbox.case_id == case_id, Outbox.is_direct == False,  # noqa: E712
                                col(Outbox.kind).in_(list(kinds)), Outbox.status != "failed",
                                or_(Outbox.kind == "alert", *answers))
    return session.exec(stmt.order_by(Outbox.id)).all()
