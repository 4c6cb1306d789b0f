"""Queries of NoticeRotation: the last notice text each group got for a topic. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from storage.models import NoticeRotation


def last_notice(session: Session, *, group_id: int, topic: str) -> NoticeRotation | None:
    return session.exec(select(NoticeRotation).where(NoticeRotation.group_id == group_id,
                                                     NoticeRotation.topic == topic)).first()


def remember_notice(session: Session, *, group_id: int, topic: str, text_id: str, now: datetime) -> None:
    row = last_notice(session, group_id=group_id, topic=topic)
    if row is None:
        row = NoticeRotation(group_id=group_id, topic=topic, last_text_id=text_id, sent_at=now)
    row.last_text_id, row.sent_at = text_id, now
    session.add(row)
