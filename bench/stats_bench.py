"""/stats, the daily digests and the Friday agenda against the size of history: the same 2,000 recent cases (45
days, every kind and status: bench/stats_seed.py) on top of SMALL and then LARGE stored cases in all (the older
ones closed, with their events and messages); each operation's time and the rows it fetched from the database.

Run: .venv/bin/python -m bench.stats_bench [LARGE]   (default 200,000; the baseline is SMALL = 10,000)
     GRIDBOT_BENCH_DATABASE_URL=postgresql://… runs it on PostgreSQL too (schemas stats_10000 and stats_LARGE
     there, dropped and rebuilt: give it a database of its own).
The operations, each timed as the best of REPEATS wall-clock runs, the two databases in turn (the database's work
counts, in or out of the process): /stats of the last 30 days for the whole station (about 1,330 cases: the figures and the text), one
daily digest run (a digest per officer, rolled back), the agenda draft for the admin (every hard dispute) and the
console's agenda page.
Target: each operation on LARGE within 1.2 x its time on SMALL; rows fetched the same on both.
"""
from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import create_engine, event

from bot.channels import registry
from bot.config import load_config
from bench.stats_seed import seed_cases
from handlers import reports
from handlers.cases import week
from handlers.commands.stats import stats_text
from handlers.routines import agenda, digest
from storage import migrate
from storage.db import make_engine
from storage.db import session as new_session
from storage.models import METADATA, Person
from storage.sync import sync_community

ROOT = Path(__file__).resolve().parent.parent
SMALL = 10_000
RECENT = 2_000
REPEATS = 5
NOW = datetime(2026, 12, 2, 2, 0, tzinfo=timezone.utc)


class CountingCursor(sqlite3.Cursor):
    fetched = 0

    def fetchone(self):  # noqa: ANN201
        row = super().fetchone()
        CountingCursor.fetched += row is not None
        return row

    def fetchmany(self, size: int = 1):  # noqa: ANN201
        rows = super().fetchmany(size)
        CountingCursor.fetched += len(rows)
        return rows

    def fetchall(self):  # noqa: ANN201
        rows = super().fetchall()
        CountingCursor.fetched += len(rows)
        return rows


class CountingConnection(sqlite3.Connection):
    def cursor(self, factory: Any = CountingCursor) -> sqlite3.Cursor:  # noqa: D102
        return super().cursor(factory)


def sqlite_engine(path: str) -> tuple[Any, Callable[[], int]]:
    """A file SQLite engine (WAL, as storage/db.py sets it) whose cursors count the rows they hand out."""
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(path, factory=CountingConnection,
                                                                       check_same_thread=False))

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001, ANN202
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            dbapi_conn.execute(f"PRAGMA {pragma}")
    METADATA.create_all(engine)
    return engine, lambda: CountingCursor.fetched


def postgres_engine(url: str, *, schema: str) -> tuple[Any, Callable[[], int]]:
    """The tables built through the migrations in ``schema`` (dropped first); rows counted from each SELECT's
    rowcount (psycopg's client-side cursors know it)."""
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    admin.dispose()
    engine = make_engine(f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}")
    migrate.upgrade(engine)
    fetched = [0]

    @event.listens_for(engine, "after_cursor_execute")
    def _count(conn, cursor, statement, params, context, many):  # noqa: ANN001, ANN202
        if statement.lstrip().upper().startswith(("SELECT", "WITH")) and cursor.rowcount > 0:
            fetched[0] += cursor.rowcount
    return engine, lambda: fetched[0]


def operations(config: Any) -> dict[str, Callable[[Any], Any]]:
    period = reports.parse_period("30天", now=NOW, tz=config.tz)
    [schedule] = [s for s in config.schedules if s.kind == "digest"]

    def stats(session: Any) -> str:
        return stats_text(reports.figures(session, period=period, tz=config.tz), scope="全部")

    def digests(session: Any) -> int:
        sent = digest.send_digests(session, config=config, schedule=schedule, run_key="bench",
                                   since=NOW - timedelta(days=1), now=NOW)
        session.rollback()
        return sent

    def draft(session: Any) -> str:
        return agenda.draft_for(session, config=config, person=session.get(Person, "admin-1"), now=NOW)

    def page(session: Any) -> Any:
        return week.week_page(session, config=config, person=session.get(Person, "admin-1"), now=NOW)
    return {"/stats (30 days)": stats, "daily digests": digests, "agenda draft": draft, "console agenda page": page}


def seeded(engine: Any, config: Any, total: int, recent: int = RECENT) -> Any:
    """The community of ``config`` and ``total`` cases, ``recent`` of them in the last 45 days."""
    with new_session(engine) as session:
        sync_community(session, config=config, now=NOW - timedelta(days=800), direct=registry.directory().direct)
        session.commit()
    seed_cases(engine, now=NOW, recent=recent, old=total - recent)
    return engine


Databases = dict[int, tuple[Any, Callable[[], int]]]  # history size → (engine, rows fetched so far)


def measure(databases: Databases, config: Any) -> dict[int, dict[str, tuple[float, int]]]:
    """Each operation REPEATS times on each database in turn (so a busy moment of the machine hits both), best
    time and rows fetched per database."""
    results: dict[int, dict[str, tuple[float, int]]] = {total: {} for total in databases}
    for _ in range(REPEATS):
        for name, work in operations(config).items():
            for total, (engine, fetched) in databases.items():
                with new_session(engine) as session:
                    before = fetched()
                    started = time.perf_counter()
                    work(session)
                    took = time.perf_counter() - started
                    rows = fetched() - before
                best = min(results[total].get(name, (float("inf"), 0))[0], took)
                results[total][name] = (best, rows)
    for engine, _ in databases.values():
        engine.dispose()
    return results


def report(backend: str, large: int, small: dict, big: dict) -> None:
    print(f"{backend}: {RECENT:,} recent cases on {SMALL:,} and on {large:,} stored cases")
    for name, (small_s, small_rows) in small.items():
        big_s, big_rows = big[name]
        print(f"  {name:22} {small_s * 1000:8.1f} ms -> {big_s * 1000:8.1f} ms  {big_s / small_s:5.2f} x "
              f"(target: within 1.2 x)   rows fetched {small_rows:,} -> {big_rows:,}")


def main() -> None:
    large = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    config = load_config(ROOT / "config.toml", environ={})
    with tempfile.TemporaryDirectory() as tmp:
        databases = {}
        for total in (SMALL, large):
            engine, fetched = sqlite_engine(f"{tmp}/stats-{total}.db")
            databases[total] = (seeded(engine, config, total), fetched)
        runs = measure(databases, config)
    report("SQLite", large, runs[SMALL], runs[large])
    url = os.environ.get("GRIDBOT_BENCH_DATABASE_URL")
    if url:  # one database: each size in a schema of its own
        databases = {}
        for total in (SMALL, large):
            engine, fetched = postgres_engine(url, schema=f"stats_{total}")
            databases[total] = (seeded(engine, config, total), fetched)
        runs = measure(databases, config)
        report("PostgreSQL", large, runs[SMALL], runs[large])

if __name__ == "__main__":
    main()
