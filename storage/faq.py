"""Queries of FaqEntry and FaqClarification: the officers' FAQ entries and clarifying questions waiting for
an answer. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import FaqClarification, FaqEntry


def signature(session: Session) -> tuple[int, int]:
    """(rows, sum of versions): changes whenever an entry is added or changed (rows are never deleted)."""
    count, versions = session.exec(select(func.count(FaqEntry.id), func.coalesce(func.sum(FaqEntry.version), 0))).one()
    return int(count), int(versions)


def entries(session: Session) -> Sequence[FaqEntry]:
    return session.exec(select(FaqEntry).order_by(FaqEntry.id)).all()


def entry_for_topic(session: Session, *, topic_key: str) -> FaqEntry | None:
    return session.exec(select(FaqEntry).where(FaqEntry.topic_key == topic_key)).first()


def entry_learned_from(session: Session, *, case_id: int) -> FaqEntry | None:
    return session.exec(select(FaqEntry).where(FaqEntry.source_case_id == case_id)).first()


def learned_case_ids(session: Session, *, case_ids: Sequence[int]) -> set[int]:
    if not case_ids:
        return set()
    stmt = select(FaqEntry.source_case_id).where(col(FaqEntry.source_case_id).in_(list(case_ids)))
    return {i for i in session.exec(stmt).all() if i is not None}


def add_entry(session: Session, *, now: datetime, actor_id: str, **fields) -> FaqEntry:  # noqa: ANN003
    entry = FaqEntry(created_by=actor_id, created_at=now, updated_by=actor_id, updated_at=now, **fields)
    session.add(entry)
    session.flush()
    return entry


def change_entry(session: Session, *, entry: FaqEntry, now: datetime, actor_id: str, **fields) -> None:  # noqa: ANN003
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.updated_by, entry.updated_at = actor_id, now
    entry.version += 1
    session.add(entry)


def open_clarification(session: Session, *, person_id: str, channel: str, chat_id: str,
                       now: datetime) -> FaqClarification | None:
    """The person's newest clarifying question in this chat that still waits for an answer."""
    stmt = select(FaqClarification).where(
        FaqClarification.person_id == person_id, FaqClarification.state == "asked",
        FaqClarification.channel == channel, FaqClarification.chat_id == chat_id, FaqClarification.expires_at > now)
    return session.exec(stmt.order_by(FaqClarification.id.desc()).limit(1)).first()


def supersede_clarifications(session: Session, *, person_id: str, channel: str, chat_id: str) -> None:
    stmt = select(FaqClarification).where(
        FaqClarification.person_id == person_id, FaqClarification.state == "asked",
        FaqClarification.channel == channel, FaqClarification.chat_id == chat_id)
    for row in session.exec(stmt).all():
        row.state = "superseded"
        session.add(row)


def add_clarification(session: Session, **fields) -> FaqClarification:  # noqa: ANN003
    row = FaqClarification(**fields)
    session.add(row)
    session.flush()
    return row
