from __future__ import annotations

import os

import pytest

from bot.app import create_app
from tests.factories import PG_ENV, POSTGRES_ONLY, BotDriver, codes_sent, make_config, make_engine_for
from tests.fakes.clock import FakeClock
from tests.fakes.reader import FakeImageReader


def pytest_report_header(config):  # noqa: ANN001, ANN201
    if os.environ.get(PG_ENV):
        return f"PostgreSQL tests: on ({PG_ENV} is set)"
    return f"PostgreSQL tests: skipped ({PG_ENV} is not set)"


@pytest.fixture(autouse=True)
def _forget_finished_apps():  # noqa: ANN202
    """aiohttp caches each app's middleware chain (an lru_cache of 1,024 entries keyed by the app): in a process
    that builds an app per test, it kept about 25 MB per test alive (each app's own classifier), which ran the
    suite out of memory. One app per process (production) is unaffected."""
    yield
    from aiohttp import web_app

    cache = getattr(web_app, "_cached_build_middleware", None)
    if cache is not None:
        cache.cache_clear()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request):  # noqa: ANN001, ANN201
    if request.param == "postgresql" and not os.environ.get(PG_ENV):
        pytest.skip(f"PostgreSQL run skipped: set {PG_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test)")
    if request.param == "sqlite" and os.environ.get(POSTGRES_ONLY):
        pytest.skip(f"SQLite run skipped: {POSTGRES_ONLY} is set (CI's PostgreSQL stage, after make test ran it)")
    return request.param


@pytest.fixture
def engine(backend, tmp_path):  # noqa: ANN001, ANN201
    engine = make_engine_for(backend, tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def clock():  # noqa: ANN201
    return FakeClock()


@pytest.fixture
def config():  # noqa: ANN201
    return make_config()


@pytest.fixture
def image_reader():  # noqa: ANN201
    """How the ``bot`` reads images: scripted words (tests/fakes/reader.py), real QR codes."""
    return FakeImageReader()


@pytest.fixture
async def bot(aiohttp_client, config, clock, engine, image_reader):  # noqa: ANN001, ANN201
    """The app driven step by step. Afterwards, no text it wrote may carry an internal code (opened, in_progress…)."""
    app = create_app(config, clock=clock, engine=engine, background=False, image_reader=image_reader)
    yield BotDriver(await aiohttp_client(app))
    assert codes_sent(engine) == [], "internal codes reached a user"


def pytest_sessionfinish(session, exitstatus):  # noqa: ANN001, ANN201
    """Drop this run's PostgreSQL schema so test runs leave nothing behind."""
    if not os.environ.get(PG_ENV):
        return
    from sqlalchemy import text

    from storage.db import make_engine
    from tests.factories import _pg_schema

    engine = make_engine(os.environ[PG_ENV], create=False)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {_pg_schema()} CASCADE"))
    engine.dispose()
