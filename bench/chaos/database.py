"""The chaos run's database: a private SQLite file or a private PostgreSQL database, and its outage.

PostgreSQL: a database of its own (``gridbot_chaos_<pid>``) on the server of GRIDBOT_CHAOS_DATABASE_URL (default
GRIDBOT_TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/test); the outage refuses new connections to
that database and terminates all of its backends — what a server restart does to its clients — and touches no other
database on the server. SQLite: the outage holds the write lock, as a stalled disk or a long backup would.
"""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import psycopg

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/test"


class ChaosDatabase:
    def __init__(self, backend: str, folder: Path) -> None:
        self.backend = backend
        if backend == "sqlite":
            self.url = f"sqlite:///{folder / 'chaos.db'}"
            self._path = folder / "chaos.db"
            return
        server = os.environ.get("GRIDBOT_CHAOS_DATABASE_URL") or os.environ.get("GRIDBOT_TEST_DATABASE_URL") \
            or DEFAULT_SERVER
        self._admin = server.replace("postgresql+psycopg://", "postgresql://")
        self.name = f"gridbot_chaos_{os.getpid()}"
        base, _, _ = self._admin.partition("?")
        self.url = f"{base.rsplit('/', 1)[0]}/{self.name}"

    def create(self) -> None:
        if self.backend == "postgresql":
            with self.connect() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.backend == "postgresql":
            with self.connect() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def outage(self, seconds: float) -> str:
        """Take the database away for ``seconds`` (blocking: run it in a thread); what was done."""
        if self.backend == "sqlite":
            conn = sqlite3.connect(self._path, timeout=30)
            conn.execute("BEGIN EXCLUSIVE")
            time.sleep(seconds)
            conn.rollback()
            conn.close()
            return f"write lock held {seconds:.0f} s"
        with self.connect() as conn:
            conn.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false')
            killed = conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                  "WHERE datname = %s AND pid <> pg_backend_pid()", (self.name,)).fetchone()[0]
            time.sleep(seconds)
            conn.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')
        return f"{killed} connections terminated, refused for {seconds:.0f} s"

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self._admin, autocommit=True, connect_timeout=5)
