"""Engine and session set-up. Nothing is built at import time."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from storage.models import METADATA


def normalize_url(url: str) -> str:
    """Accept plain postgres URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, *, create: bool = False, pool_size: int = 10, max_overflow: int = 10,
                busy_timeout: float = 30.0) -> Engine:
    """An engine for the URL; ``create`` builds the tables from the models (tests; real databases migrate).
    ``busy_timeout``: how long SQLite waits for another connection's lock before it fails (seconds)."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url, parsed.database, busy_timeout)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow)
    if create:
        METADATA.create_all(engine)
    return engine


def _sqlite_engine(url: str, database: str | None, busy_timeout: float) -> Engine:
    in_memory = not database or database == ":memory:"
    if in_memory:
        engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
    else:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        cursor = dbapi_conn.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.close()

    return engine


def single_connection(engine: Engine) -> bool:
    """True when every thread shares one connection (in-memory SQLite): its users must take turns on one thread."""
    return isinstance(engine.pool, StaticPool)


def session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)
