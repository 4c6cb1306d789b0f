"""Outbox queries: enqueue inside the caller's transaction; lease, renew, settle; mark sent / retry / failed.

A lease is (``lease_owner``, ``lease_token``, ``next_attempt_at`` = when it runs out). Every statement that takes,
renews or settles a lease is one conditional UPDATE, so two processes can never both hold a row, on PostgreSQL
(row locks) as on SQLite (one writer at a time).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Iterable, Mapping, Sequence

from sqlalchemy import and_, bindparam, case, func, not_, or_, update
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


ALERTS_FIRST = case((Outbox.kind == "alert", 0), else_=1)


def claim_due(session: Session, *, now: datetime, limit: int, owner: str, token: str,
              lease: timedelta, paused: Mapping[str, Sequence[str]] | None = None) -> list[Outbox]:
    """Lease up to ``limit`` due pending rows (alerts first, then oldest) to ``owner``'s run ``token``.

    One UPDATE … RETURNING of the rows a SELECT … FOR UPDATE SKIP LOCKED chose (PostgreSQL: run once, as a
    materialized CTE; SQLite: ``id IN (…)``): a second process skips the rows this one is taking (PostgreSQL) or
    waits for the write lock and then finds them leased (SQLite)."""
    due = select(Outbox.id).where(Outbox.status == "pending", Outbox.next_attempt_at <= now)
    if paused:  # {channel: kinds} pausing between two sends (bot/outbox.py): those rows stay where they are
        due = due.where(not_(or_(*(and_(Outbox.channel == channel, Outbox.kind.in_(list(kinds)))
                                   for channel, kinds in paused.items()))))
    due = (due
           .order_by(ALERTS_FIRST, Outbox.id).limit(limit).with_for_update(skip_locked=True))
    if session.get_bind().dialect.name == "postgresql":
        # PostgreSQL may run a subquery of ``id IN (…)`` again for every outer row (a nested-loop semi join), each
        # run skipping the rows the last one locked: 31 rows leased for a limit of 10. A MATERIALIZED CTE runs once.
        chosen = due.cte("due").prefix_with("MATERIALIZED")
        taken = Outbox.id == chosen.c.id
    else:
        taken = Outbox.id.in_(due.scalar_subquery())
    stmt = (update(Outbox).where(taken, Outbox.status == "pending", Outbox.next_attempt_at <= now)
            .values(lease_owner=owner, lease_token=token, next_attempt_at=now + lease)
            .returning(Outbox).execution_options(synchronize_session=False))
    rows = list(session.execute(stmt).scalars().all())
    return sorted(rows, key=lambda row: (row.kind != "alert", row.id))


def holds(session: Session, *, row_id: int, token: str) -> bool:
    """Whether the run ``token`` still holds the pending row (locked until the transaction ends, on PostgreSQL)."""
    stmt = (select(Outbox.id).where(Outbox.id == row_id, Outbox.lease_token == token, Outbox.status == "pending")
            .with_for_update())
    return session.exec(stmt).first() is not None


def renew(session: Session, *, ids: Sequence[int], token: str, now: datetime, lease: timedelta) -> set[int]:
    """Extend the lease of the rows this run still holds; returns their ids (a row missing was lost)."""
    if not ids:
        return set()
    stmt = (update(Outbox).where(Outbox.id.in_(list(ids)), Outbox.lease_token == token, Outbox.status == "pending")
            .values(next_attempt_at=now + lease).returning(Outbox.id).execution_options(synchronize_session=False))
    return set(session.execute(stmt).scalars().all())


def release_stale_runs(session: Session, *, owner: str, token: str, now: datetime) -> int:
    """Rows leased by an earlier run of ``owner`` (a process that died and was restarted): due now."""
    stmt = (update(Outbox).where(Outbox.lease_owner == owner, Outbox.lease_token.is_not(None),
                                 Outbox.lease_token != token, Outbox.status == "pending")
            .values(next_attempt_at=now, lease_owner=None, lease_token=None)
            .execution_options(synchronize_session=False))
    return session.execute(stmt).rowcount


def release_held(session: Session, *, row_ids: Iterable[int], token: str, now: datetime) -> int:
    """Rows this run claimed and will not send (it is stopping): due now, for another process or the next run."""
    ids = list(row_ids)
    if not ids:
        return 0
    stmt = (update(Outbox).where(Outbox.id.in_(ids), Outbox.lease_token == token, Outbox.status == "pending")
            .values(next_attempt_at=now, lease_owner=None, lease_token=None)
            .execution_options(synchronize_session=False))
    return session.execute(stmt).rowcount


def settle_sent(session: Session, *, row_id: int, now: datetime) -> bool:
    """Delivered: sent, whoever holds the lease now (so a process that took it over skips it)."""
    stmt = (update(Outbox).where(Outbox.id == row_id, Outbox.status == "pending")
            .values(status="sent", sent_at=now, attempts=Outbox.attempts + 1, last_error=None,
                    lease_owner=None, lease_token=None).execution_options(synchronize_session=False))
    return session.execute(stmt).rowcount == 1


def settle_held(session: Session, *, row_id: int, token: str, **values: object) -> bool:
    """Write a retry, postponement or failure, only while this run holds the row; the lease ends."""
    stmt = (update(Outbox).where(Outbox.id == row_id, Outbox.lease_token == token, Outbox.status == "pending")
            .values(lease_owner=None, lease_token=None, **values).execution_options(synchronize_session=False))
    return session.execute(stmt).rowcount == 1


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
    """What the bot wrote to one chat since ``since``, newest first (every message asks: built once, values bound)."""
    return session.scalars(_recent_texts(), {"channel": channel, "chat_id": chat_id, "since": since,
                                             "limit": limit}).all()


@cache
def _recent_texts():  # noqa: ANN202
    return (select(Outbox.text).where(Outbox.channel == bindparam("channel"), Outbox.chat_id == bindparam("chat_id"),
                                      Outbox.created_at >= bindparam("since"))
            .order_by(Outbox.created_at.desc(), Outbox.id.desc()).limit(bindparam("limit")))  # on ix_outbox_chat


def count_in_chat(session: Session, *, channel: str, chat_id: str, since: datetime, kinds: Sequence[str]) -> int:
    """Public rows written to one chat since ``since`` of the given kinds."""
    stmt = select(func.count()).select_from(Outbox).where(
        Outbox.channel == channel, Outbox.chat_id == chat_id, Outbox.is_direct.is_(False),
        Outbox.created_at >= since, Outbox.kind.in_(list(kinds)))
    return session.exec(stmt).one()


def public_replies_to(session: Session, *, message_ids: Sequence[int], channel: str, chat_id: str,
                      since: datetime) -> int:
    """Public rows written to one chat since ``since`` in answer to these messages (their keys are
    ``msg-<id>-<n>``): the chat and the time narrow it on ``ix_outbox_chat`` before the keys are matched."""
    if not message_ids:
        return 0
    keys = or_(*(Outbox.idempotency_key.like(f"msg-{i}-%") for i in message_ids))
    stmt = select(func.count()).select_from(Outbox).where(
        Outbox.channel == channel, Outbox.chat_id == chat_id, Outbox.created_at >= since,
        Outbox.is_direct.is_(False), keys)
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

