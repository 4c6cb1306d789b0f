"""A claim leases at most ``limit`` rows, whatever plan the database picks. PostgreSQL may run the subquery of
``id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)`` once per outer row (a nested-loop semi join, the plan it
picks for a freshly filled table), each run skipping the rows the last one locked, and lease them all: a city's
broadcast of 6,702 copies sent in one go. The test forces that plan on the session."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from storage import outbox
from storage.db import session as new_session

pytestmark = pytest.mark.postgres


def fill(engine, clock, n: int) -> None:  # noqa: ANN001
    with new_session(engine) as s:
        for i in range(n):
            outbox.enqueue(s, now=clock.now(), idempotency_key=f"k-{i}", channel="mp", chat_id=f"o{i}", text="x",
                           kind="alert" if i % 3 else "notice", is_direct=True)
        s.commit()


@pytest.mark.parametrize("nested_loops_only", [False, True])
def test_a_claim_leases_no_more_than_its_limit(engine, clock, nested_loops_only):
    fill(engine, clock, 60)
    with new_session(engine) as s:
        if nested_loops_only and engine.dialect.name == "postgresql":
            for setting in ("enable_hashjoin", "enable_mergejoin", "enable_material"):
                s.execute(text(f"SET LOCAL {setting} = off"))
        first = outbox.claim_due(s, now=clock.now(), limit=10, owner="a", token="t1", lease=timedelta(seconds=30))
        s.commit()
    with new_session(engine) as s:
        second = outbox.claim_due(s, now=clock.now(), limit=25, owner="b", token="t2", lease=timedelta(seconds=30))
        s.commit()
    assert len(first) == 10 and len(second) == 25
    assert not {r.id for r in first} & {r.id for r in second}
    assert [r.kind for r in first] == ["alert"] * 10  # alerts first, then the oldest
