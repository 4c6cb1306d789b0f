"""Queries of Survey: follow-up visits (回访) asked of a reporter. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlmodel import Session, col, select

from storage.models import Survey


def open_survey_for(session: Session, *, person_id: str, now: datetime) -> Survey | None:
    stmt = select(Survey).where(Survey.person_id == person_id, Survey.state == "asked", Survey.expires_at > now)
    return session.exec(stmt.order_by(Survey.id.desc()).limit(1).with_for_update()).first()


def expired_surveys(session: Session, *, now: datetime) -> Sequence[Survey]:
    stmt = select(Survey).where(Survey.state == "asked", Survey.expires_at <= now)
    return session.exec(stmt.order_by(Survey.id).with_for_update()).all()


def answered_surveys(session: Session, *, case_ids: Sequence[int]) -> Sequence[Survey]:
    stmt = select(Survey).where(Survey.state == "answered", col(Survey.case_id).in_(list(case_ids)))
    return session.exec(stmt).all()
