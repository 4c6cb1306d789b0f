"""The people of a grid who follow the Official Account, and the copies a group's notice leaves them when it goes
by template message instead of the group (bot/follower_notices.py). Keyword-only, session first, never commit."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from storage.models import Account, Outbox, Person

OA_FAMILY = "mp"  # the account family of Official Account openids
EVERY_RESIDENT = {"audience": "residents"}  # an outbox row's hint: a copy meant for every resident of the grid


def for_every_resident(origin: str) -> dict[str, str]:
    """The hint of a group copy meant for every resident, from the broadcast or notice run ``origin``."""
    return {**EVERY_RESIDENT, "origin": origin}


def followers_of_grid(session: Session, *, grid_id: str) -> list[str]:
    """The openids of the people whose home grid is ``grid_id`` and who follow the Official Account."""
    stmt = (select(Account.external_id).join(Person, Person.id == Account.person_id)
            .where(Account.family == OA_FAMILY, Person.grid_id == grid_id).order_by(Account.external_id))
    return list(session.exec(stmt).all())


def queue_copies(session: Session, *, keys: Mapping[str, str], text: str, kind: str, hint: dict,
                 now: datetime) -> int:
    """One direct outbox row per follower (``keys``: openid → the row's idempotency key), in one statement; a
    follower who already has that key gets no second row. Returns the rows added."""
    if not keys:
        return 0
    rows = [{"idempotency_key": key, "channel": OA_FAMILY, "chat_id": openid,
             "is_direct": True, "text": text, "mentions": [], "reply_hint": hint, "kind": kind,
             "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now}
            for openid, key in keys.items()]
    connection = session.connection()
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    stmt = (insert(Outbox.__table__).on_conflict_do_nothing(index_elements=["idempotency_key"])
            .returning(Outbox.__table__.c.id))
    return len(connection.execute(stmt, rows).all())


def copy_counts(session: Session, *, origin: str) -> dict[str, int]:
    """How the followers' copies of one broadcast or notice run (``origin``) stand: {status: rows}."""
    stmt = (select(Outbox.status, func.count()).where(Outbox.idempotency_key.startswith(f"follower:{origin}:"))
            .group_by(Outbox.status))
    return {status: n for status, n in session.exec(stmt).all()}
