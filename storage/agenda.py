"""Queries of AgendaItem: the cases on each Friday's agenda (周五工作法). Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import AgendaItem


def latest_agenda_week(session: Session, *, before: str) -> str | None:
    """The most recent stored agenda week strictly before ``before`` (ISO dates sort as text)."""
    return session.exec(select(func.max(AgendaItem.week)).where(AgendaItem.week < before)).one()


def agenda_items(session: Session, *, week: str) -> Sequence[AgendaItem]:
    return session.exec(select(AgendaItem).where(AgendaItem.week == week).order_by(AgendaItem.position)).all()


def save_agenda(session: Session, *, week: str, items: Sequence[tuple[int, str]], now: datetime) -> None:
    """Store one Friday's agenda: (case id, reasons) in suggested order."""
    for position, (case_id, reasons) in enumerate(items, start=1):
        session.add(AgendaItem(week=week, case_id=case_id, position=position, reasons=reasons, created_at=now))
