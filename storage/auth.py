"""Queries of Credential, WebSession and ApiToken: who may sign in to the console and call the case API.
Only hashes are stored. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy import delete, func
from sqlmodel import Session, select

from storage.models import ApiToken, AuditEntry, Credential, WebSession

SIGN_IN_FAILED, SIGNED_IN = "console_sign_in_failed", "console_sign_in"


def password_hash(session: Session, *, person_id: str) -> str | None:
    row = session.get(Credential, person_id)
    return row.password_hash if row else None


def set_password_hash(session: Session, *, person_id: str, password_hash: str, now: datetime) -> None:
    row = session.get(Credential, person_id) or Credential(person_id=person_id, password_hash=password_hash,
                                                           updated_at=now)
    row.password_hash, row.updated_at = password_hash, now
    session.add(row)


def add_web_session(session: Session, *, session_id: str, person_id: str, csrf: str, now: datetime,
                    expires_at: datetime) -> WebSession:
    row = WebSession(id=session_id, person_id=person_id, csrf=csrf, created_at=now, expires_at=expires_at)
    session.add(row)
    return row


def web_session(session: Session, *, session_id: str, now: datetime) -> WebSession | None:
    """The live session with this id (expired ones are not returned)."""
    row = session.get(WebSession, session_id)
    return row if row is not None and row.expires_at > now else None


def end_web_session(session: Session, *, session_id: str) -> None:
    session.exec(delete(WebSession).where(WebSession.id == session_id))


def end_sessions_of(session: Session, *, person_id: str) -> None:
    """Sign a person out everywhere (their password changed)."""
    session.exec(delete(WebSession).where(WebSession.person_id == person_id))


def purge_expired_sessions(session: Session, *, now: datetime) -> None:
    session.exec(delete(WebSession).where(WebSession.expires_at <= now))


def add_api_token(session: Session, *, person_id: str, token_hash: str, label: str, now: datetime) -> ApiToken:
    row = ApiToken(person_id=person_id, token_hash=token_hash, label=label, created_at=now)
    session.add(row)
    session.flush()
    return row


def api_token(session: Session, *, token_hash: str) -> ApiToken | None:
    """The live (not revoked) token with this hash."""
    stmt = select(ApiToken).where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None))
    return session.exec(stmt).first()


def tokens_of(session: Session, *, person_id: str) -> Sequence[ApiToken]:
    return session.exec(select(ApiToken).where(ApiToken.person_id == person_id).order_by(ApiToken.id)).all()


def audit_sign_in(session: Session, *, person_id: str, now: datetime, ok: bool) -> None:
    session.add(AuditEntry(at=now, actor_id=person_id, action=SIGNED_IN if ok else SIGN_IN_FAILED))


def failed_sign_ins(session: Session, *, person_id: str, since: datetime) -> int:
    stmt = select(func.count()).select_from(AuditEntry).where(
        AuditEntry.actor_id == person_id, AuditEntry.action == SIGN_IN_FAILED, AuditEntry.at > since)
    return session.exec(stmt).one()
