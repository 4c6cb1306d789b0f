"""Two sessions updating one case: the second waits for the first and sees its change (row lock on
PostgreSQL, the write lock on file SQLite), so it cannot resolve an already resolved case."""
from __future__ import annotations

import os
import threading
from datetime import datetime, timezone

import pytest

from handlers.cases import flow as case_flow
from storage import cases
from storage.db import session as new_session
from storage.models import Person
from tests.factories import PG_ENV, make_engine_for

NOW = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)


@pytest.fixture(params=["sqlite-file", pytest.param("postgresql", marks=pytest.mark.postgres)])
def shared_engine(request, tmp_path):  # noqa: ANN001, ANN201
    if request.param == "postgresql" and not os.environ.get(PG_ENV):
        pytest.skip(f"PostgreSQL run skipped: set {PG_ENV}")
    engine = make_engine_for(request.param, tmp_path)
    yield engine
    engine.dispose()


def _open_case(engine) -> int:  # noqa: ANN001
    with new_session(engine) as session:
        session.add(Person(id="officer-a", name="甲", role="officer"))
        session.add(Person(id="officer-b", name="乙", role="officer"))
        case = case_flow.open_case(session, now=NOW, actor_id="r", kind="dispute", subtype="noise", text="吵",
                               assignee_id="officer-a")
        session.commit()
        return case.id


def _resolve(engine, case_id: int, actor_id: str, outcome: str) -> tuple[int, str | None]:  # noqa: ANN001
    with new_session(engine) as session:
        case = cases.get_case(session, case_id=case_id, for_update=True)
        seen = case.version
        refusal = case_flow.refusal(case, "resolve")
        if refusal is None:
            case_flow.resolve(session, case=case, actor=session.get(Person, actor_id), now=NOW, outcome=outcome)
        session.commit()
        return seen, refusal


def test_second_update_waits_and_sees_the_first(shared_engine):
    case_id = _open_case(shared_engine)
    result: dict = {}
    first = new_session(shared_engine)
    case = cases.get_case(first, case_id=case_id, for_update=True)
    case_flow.resolve(first, case=case, actor=first.get(Person, "officer-a"), now=NOW, outcome="甲调解成功")
    first.flush()
    second = threading.Thread(target=lambda: result.update(
        out=_resolve(shared_engine, case_id, "officer-b", "乙调解成功")))
    second.start()
    second.join(timeout=0.5)
    assert second.is_alive(), "the second update must wait for the first transaction"
    first.commit()
    first.close()
    second.join(timeout=30)
    seen, refusal = result["out"]
    assert seen == case.version  # it saw the first's change ...
    assert refusal == f"{case_id}号当前状态为“已化解”，不能化解。"  # ... and was refused because of it
    with new_session(shared_engine) as session:
        final = cases.get_case(session, case_id=case_id)
        assert (final.status, final.outcome) == ("resolved", "甲调解成功")
        assert [e.action for e in cases.case_events(session, case_id=case_id)].count("resolved") == 1


def test_two_threads_resolving_at_once_resolve_once(shared_engine):
    case_id = _open_case(shared_engine)
    results: list = []
    threads = [threading.Thread(target=lambda who=who: results.append(_resolve(shared_engine, case_id, who, who)))
               for who in ("officer-a", "officer-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(r[1] is None for r in results) == [False, True]
    with new_session(shared_engine) as session:
        assert [e.action for e in cases.case_events(session, case_id=case_id)].count("resolved") == 1
