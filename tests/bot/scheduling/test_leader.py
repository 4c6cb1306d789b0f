"""One scheduler leads at a time on PostgreSQL; when its connection goes, another takes over."""
from __future__ import annotations

import os

import pytest

from bot.scheduling.leader import Leader
from storage.db import make_engine
from tests.factories import PG_ENV, pg_test_url


def test_sqlite_is_always_its_own_leader():
    engine = make_engine("sqlite://")
    assert Leader(engine).lead() is True


@pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"needs PostgreSQL: set {PG_ENV}")
def test_one_leader_at_a_time_and_take_over():
    first_engine, second_engine = make_engine(pg_test_url()), make_engine(pg_test_url())
    first, second = Leader(first_engine), Leader(second_engine)
    try:
        assert first.lead() is True
        assert second.lead() is False
        assert first.lead() is True  # keeps the lead while its connection lives
        first._conn.invalidate()  # the leading process dies: its connection and lock go away
        first._conn = None
        assert second.lead() is True
        assert first.lead() is False
        second.release()
        assert first.lead() is True
    finally:
        first.release()
        second.release()
        first_engine.dispose()
        second_engine.dispose()
