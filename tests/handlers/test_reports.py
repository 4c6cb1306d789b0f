"""The figures behind /stats and the reports page: periods, rates per kind, reopened cases once, times; and the
scope clause that lists exactly the cases may_act_on allows."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from handlers import reports, scope
from handlers.cases import flow
from storage.db import session as new_session
from storage.models import Case, Person
from storage.sync import sync_community
from tests.factories import DIRECT

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 18, 2, 0, tzinfo=timezone.utc)  # a Wednesday, 10:00 local


@pytest.mark.parametrize("text, first, last", [
    ("", date(2026, 11, 1), date(2026, 11, 30)), ("本月", date(2026, 11, 1), date(2026, 11, 30)),
    ("上月", date(2026, 10, 1), date(2026, 10, 31)), ("本周", date(2026, 11, 16), date(2026, 11, 18)),
    ("上周", date(2026, 11, 9), date(2026, 11, 15)), ("7天", date(2026, 11, 12), date(2026, 11, 18)),
    ("30d", date(2026, 10, 20), date(2026, 11, 18)), ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("2026-11-01..2026-11-10", date(2026, 11, 1), date(2026, 11, 10)), ("2026-11-05", date(2026, 11, 5), date(2026, 11, 5)),
    ("今年", date(2026, 1, 1), date(2026, 11, 18)),
])
def test_periods(text, first, last):
    period = reports.parse_period(text, now=NOW, tz=TZ)
    assert (period.first_day, period.last_day) == (first, last)
    assert period.start == datetime(first.year, first.month, first.day, tzinfo=TZ)
    assert period.label == f"{first.isoformat()} 至 {last.isoformat()}"


@pytest.mark.parametrize("text", ["明年", "2026-13", "2026-11-10..2026-11-01", "grid-1", "abc"])
def test_unknown_periods(text):
    assert reports.parse_period(text, now=NOW, tz=TZ) is None


@pytest.fixture
def session(engine, config):  # noqa: ANN001, ANN201
    with new_session(engine) as s:
        sync_community(s, config=config, now=NOW, direct=DIRECT)
        s.commit()
        yield s


def _case(session, kind: str, grid: str, opened: datetime, **fields):  # noqa: ANN001, ANN003, ANN202
    return flow.open_case(session, now=opened, actor_id="r", kind=kind, grid_id=grid, assignee_id="officer-2",
                          text="吵", subtype="noise" if kind == "dispute" else None, **fields)


def test_rates_per_kind_with_a_reopened_case_counted_once(session):
    officer = session.get(Person, "officer-2")
    start = NOW - timedelta(days=5)
    a = _case(session, "dispute", "grid-2", start)
    b = _case(session, "dispute", "grid-2", start)
    c = _case(session, "inquiry", "grid-1", start)
    _case(session, "dispute", "grid-2", NOW - timedelta(days=40))  # last month: outside the period
    flow.take(session, case=a, actor=officer, now=start + timedelta(minutes=30))
    flow.resolve(session, case=a, actor=officer, now=start + timedelta(hours=2), outcome="好了")
    flow.reopen(session, case=a, actor_id="officer-2", now=start + timedelta(days=1), reason="又吵")
    flow.resolve(session, case=a, actor=officer, now=start + timedelta(days=1, hours=4), outcome="再调解")
    a.satisfaction = "satisfied"
    b.satisfaction = "unsatisfied"
    flow.take(session, case=c, actor=officer, now=start + timedelta(hours=1))
    session.flush()
    period = reports.parse_period("本月", now=NOW, tz=TZ)
    found = reports.figures(session, period=period, tz=TZ)
    dispute, inquiry = found.by_kind["dispute"], found.by_kind["inquiry"]
    assert (dispute.total, dispute.done, dispute.reopened) == (2, 1, 1), "the reopened case is one case"
    assert dispute.resolution_rate == 0.5 and dispute.satisfaction_rate == 0.5
    assert dispute.median_response_hours == 0.5 and dispute.median_resolution_hours == 28
    assert (inquiry.total, inquiry.done, inquiry.median_response_hours) == (1, 0, 1)
    assert found.overall.total == 3 and set(found.by_grid) == {"grid-1", "grid-2"}
    assert sum(found.per_week["dispute"].values()) == 2 and found.weeks[0] == "2026-10-26"
    only = reports.figures(session, period=period, tz=TZ, grid_ids=["grid-1"])
    assert only.overall.total == 1 and set(only.by_kind) == {"inquiry"}


@pytest.mark.parametrize("who", ["officer-1", "officer-2", "duty-1", "admin-1", "worker-2", "mediator-property",
                                 "mediator-judicial"])
def test_the_scope_clause_lists_exactly_what_may_act_on_allows(session, who):
    opened = NOW - timedelta(days=1)
    for grid in ("grid-1", "grid-2", "grid-3", None):
        for mediator in ("mediator-property", None):
            _case(session, "dispute", grid, opened, mediator_id=mediator)
    _case(session, "inquiry", "grid-3", opened).assignee_id = "officer-1"
    session.flush()
    person = session.get(Person, who)
    listed = {c.id for c in session.exec(select(Case).where(scope.visible_clause(session, person))).all()}
    allowed = {c.id for c in session.exec(select(Case)).all() if scope.may_act_on(session, person, c)}
    assert listed == allowed
