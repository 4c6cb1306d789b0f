"""Turns of an account with a send budget (the bridge account), shared by every process that sends on it.

A process takes a turn before each send, in a transaction that first serialises the account's takers (PostgreSQL:
a transaction-level advisory lock on the account; SQLite: the database's write lock, taken first; and a lock of
this module for the threads of one process), then reads the account's turns of the last day and decides by its
budget (bot/channels/kit/send_budget.py): a bulk copy over the budget, or before the gap since the last send has
run, is refused; any other send is counted and draws the next gap. Keyword-only, session first, never commit."""
from __future__ import annotations

import threading
import zlib
from datetime import datetime, timedelta
from typing import Sequence

from sqlalchemy import bindparam, delete, func, select, text

from storage.models import SendTurn

DAY = timedelta(days=1)
_LOCAL = threading.Lock()  # one process's database threads take turns one at a time
LOCK_WAIT_MS = 5000
LOCK_BASE = 4_715_300_000  # + crc32(account) % 1e6: a bigint of its own for each account, beside the scheduler's


def lock_account(session, *, account: str, now: datetime) -> None:  # noqa: ANN001
    """Serialise the account's turn-takers until the transaction ends, and forget its turns older than a day.
    PostgreSQL: a transaction-level advisory lock on the account, waited for at most LOCK_WAIT_MS (a lock_timeout
    error then: the copy waits). SQLite: the delete is the transaction's first statement, so it takes the
    database's write lock before anything is read — processes on one file take turns too (each waiting up to its
    busy timeout)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT_MS}ms'"))
        session.execute(select(func.pg_advisory_xact_lock(lock_key(account))))
    session.execute(delete(SendTurn).where(SendTurn.account == account, SendTurn.at <= now - DAY)
                    .execution_options(synchronize_session=False))


def lock_key(account: str) -> int:
    return LOCK_BASE + zlib.crc32(account.encode("utf-8")) % 1_000_000


def local_lock() -> threading.Lock:
    return _LOCAL


def recent(session, *, account: str, now: datetime) -> Sequence[tuple[datetime, datetime]]:  # noqa: ANN001
    """(at, next_at) of the account's turns of the last day, oldest first."""
    return session.execute(_RECENT, {"account": account, "since": now - DAY}).all()


def record(session, *, account: str, at: datetime, next_at: datetime) -> None:  # noqa: ANN001
    """Count a send."""
    session.add(SendTurn(account=account, at=at, next_at=next_at))
    session.flush()


_RECENT = (select(SendTurn.at, SendTurn.next_at)
           .where(SendTurn.account == bindparam("account"), SendTurn.at > bindparam("since"))
           .order_by(SendTurn.at, SendTurn.id))
