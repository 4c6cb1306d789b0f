"""One scheduler at a time across processes: on PostgreSQL the leader holds a session-level advisory lock on
a connection of its own; if its process dies the connection closes, the lock goes with it, and the next
process to look takes over. Exactly-once does not depend on this (every fire is a unique JobRun row); the
lock only keeps the other processes from doing the same work to have it refused."""
from __future__ import annotations

import logging

from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)
LOCK_KEY = 4_715_202_611  # any constant bigint shared by every gridbot process on one database


class Leader:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None

    @property
    def single_process(self) -> bool:
        return self.engine.dialect.name != "postgresql"  # SQLite: one process by design

    def lead(self) -> bool:
        """True while this process leads; takes the lead when nobody holds it. Blocking: run in the executor."""
        if self.single_process:
            return True
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT 1"))
                return True
            except DBAPIError:
                log.warning("scheduler: lost the leader connection; another process may take over")
                self._drop()
        try:
            conn = self.engine.connect()
            if conn.execute(select(func.pg_try_advisory_lock(LOCK_KEY))).scalar():
                conn.commit()  # the lock is the session's, not the transaction's
                self._conn = conn
                log.info("scheduler: this process leads")
                return True
            conn.close()
        except DBAPIError:
            log.warning("scheduler: database unreachable while looking for the leader lock")
        return False

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.execute(select(func.pg_advisory_unlock(LOCK_KEY)))
            except DBAPIError:
                pass
            self._drop()

    def _drop(self) -> None:
        try:
            self._conn.invalidate()  # never hand a connection holding the lock back to the pool
            self._conn.close()
        except DBAPIError:
            pass
        self._conn = None
