"""Queries of AuditEntry: changes that are not about one case. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlmodel import Session, select

from storage.models import AuditEntry


def audit_since(session: Session, *, action: str, since: datetime) -> Sequence[AuditEntry]:
    return session.exec(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.at > since)
                        .order_by(AuditEntry.id)).all()
