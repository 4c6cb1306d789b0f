"""Access-token cache rows. Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from storage.models import AccessToken


def get_token(session: Session, *, key: str) -> tuple[str, datetime] | None:
    row = session.get(AccessToken, key)
    return None if row is None else (row.token, row.expires_at)


def put_token(session: Session, *, key: str, token: str, expires_at: datetime) -> None:
    row = session.get(AccessToken, key) or AccessToken(key=key, token=token, expires_at=expires_at)
    row.token, row.expires_at = token, expires_at
    session.add(row)
