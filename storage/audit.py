"""Queries of AuditEntry: changes that are not about one case. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlmodel import Session, select

from storage.models import AuditEntry


def audit_since(session: Session, *, action: str, since: datetime) -> Sequence[AuditEntry]:
    return session.exec(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.at > since)
                        .order_by(AuditEntry.id)).all()


def last_audit(session: Session, *, action: str, detail: str) -> AuditEntry | None:
    """The newest entry of ``action`` with exactly ``detail``."""
    return session.exec(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.detail == detail)
                        .order_by(AuditEntry.id.desc()).limit(1)).first()
