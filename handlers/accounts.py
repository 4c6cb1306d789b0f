"""Sign-in for the console and tokens for the case API: who may use them, and how secrets are kept.

Passwords are kept as scrypt hashes (stdlib ``hashlib.scrypt``, n=2**14, r=8, p=1, a 16-byte salt); session
cookies and API tokens are random 32-byte secrets of which only the SHA-256 is stored, so a copy of the
database signs nobody in.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from handlers.roles import STAFF
from storage import auth
from storage.models import Person

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
MIN_PASSWORD = 8
MAX_FAILURES, LOCKOUT = 5, timedelta(minutes=15)  # then that person's sign-in waits (failures are audit rows)


class AccountError(Exception):
    """A request about an account that cannot be done; the message is one line for the operator."""


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        found = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                               dklen=len(bytes.fromhex(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found.hex(), digest)


def may_sign_in(person: Person | None) -> bool:
    """Staff only: officers, admins, mediators and grid workers. Residents never sign in to the console."""
    return person is not None and person.role in STAFF


def set_password(session: Session, *, person: Person, password: str, now: datetime) -> None:
    if not may_sign_in(person):
        raise AccountError(f"{person.id} is a {person.role}: only staff sign in to the console")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    auth.set_password_hash(session, person_id=person.id, password_hash=hash_password(password), now=now)
    auth.end_sessions_of(session, person_id=person.id)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    person: Person
    csrf: str
    expires_at: datetime


def locked_out(session: Session, *, person_id: str, now: datetime) -> bool:
    """Too many wrong passwords for this person lately: sign-in waits, whatever the password."""
    return auth.failed_sign_ins(session, person_id=person_id, since=now - LOCKOUT) >= MAX_FAILURES


def sign_in(session: Session, *, person_id: str, password: str, now: datetime,
            hours: int) -> tuple[str, SignedIn] | None:
    """(cookie secret, the session) for a right password of a member of staff; None otherwise. Every attempt is
    audited; after MAX_FAILURES wrong ones within LOCKOUT the person cannot sign in until they age out."""
    person_id = person_id.strip()[:64]
    person = session.get(Person, person_id)
    stored = auth.password_hash(session, person_id=person.id) if may_sign_in(person) else None
    if locked_out(session, person_id=person_id, now=now) or stored is None or not check_password(password, stored):
        if stored is None:
            check_password(password, hash_password("timing-equaliser", salt=b"0" * 16))  # same cost either way
        auth.audit_sign_in(session, person_id=person_id, now=now, ok=False)
        return None
    auth.audit_sign_in(session, person_id=person_id, now=now, ok=True)
    secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    expires_at = now + timedelta(hours=hours)
    auth.purge_expired_sessions(session, now=now)
    auth.add_web_session(session, session_id=_digest(secret), person_id=person.id, csrf=csrf, now=now,
                         expires_at=expires_at)
    return secret, SignedIn(person, csrf, expires_at)


def signed_in(session: Session, *, secret: str, now: datetime) -> SignedIn | None:
    """Who holds this cookie secret, while the session lasts and the person may still sign in."""
    row = auth.web_session(session, session_id=_digest(secret), now=now) if secret else None
    person = session.get(Person, row.person_id) if row else None
    return SignedIn(person, row.csrf, row.expires_at) if row and may_sign_in(person) else None


def sign_out(session: Session, *, secret: str) -> None:
    auth.end_web_session(session, session_id=_digest(secret))


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), given.encode())


def create_token(session: Session, *, person: Person, label: str, now: datetime) -> str:
    """A new API token for a member of staff; the secret is returned once and only its hash is kept."""
    if not may_sign_in(person):
        raise AccountError(f"{person.id} is a {person.role}: only staff get API tokens")
    secret = "gbt_" + secrets.token_urlsafe(32)
    auth.add_api_token(session, person_id=person.id, token_hash=_digest(secret), label=label, now=now)
    return secret


def token_holder(session: Session, *, secret: str, now: datetime) -> Person | None:
    """The person an API token belongs to (None: unknown or revoked token, or no longer staff)."""
    row = auth.api_token(session, token_hash=_digest(secret)) if secret.startswith("gbt_") else None
    person = session.get(Person, row.person_id) if row else None
    if row is None or not may_sign_in(person):
        return None
    row.last_used_at = now
    session.add(row)
    return person
