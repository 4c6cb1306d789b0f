"""Queries of ScamWord: the scam phrases officers taught the bot. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlmodel import Session, select

from storage.models import ScamWord


def all_words(session: Session) -> Sequence[str]:
    return session.exec(select(ScamWord.word).order_by(ScamWord.id)).all()


def find(session: Session, *, word: str) -> ScamWord | None:
    return session.exec(select(ScamWord).where(ScamWord.word == word)).first()


def add(session: Session, *, word: str, added_by: str, now: datetime) -> None:
    session.add(ScamWord(word=word, added_by=added_by, added_at=now))


def remove(session: Session, *, row: ScamWord) -> None:
    session.delete(row)
