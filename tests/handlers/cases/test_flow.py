"""The case state machine: every move is checked against the allowed moves and audited."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from handlers.cases import flow
from storage import cases
from storage.db import session as new_session
from storage.models import Person, Status

NOW = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)
ALLOWED = {  # status → the moves allowed from it
    "open": {"acknowledge", "take", "assign", "transfer", "resolve", "close", "escalate", "hard", "assign_on_open",
             "wrong", "reroute"},
    "assigned": {"acknowledge", "take", "assign", "transfer", "resolve", "close", "escalate", "hard", "wrong",
                 "reroute"},
    "in_progress": {"take", "assign", "transfer", "resolve", "close", "escalate", "hard", "wrong", "reroute"},
    "resolved": {"close", "reopen", "wrong"},
    "closed": {"reopen"},
}


@pytest.fixture
def session(engine):  # noqa: ANN001, ANN201
    with new_session(engine) as s:
        s.add(Person(id="officer-a", name="甲警官", role="officer"))
        s.flush()
        yield s


def _case_in(session, status: str):  # noqa: ANN001, ANN202
    case = flow.open_case(session, now=NOW, actor_id="r", kind="dispute", subtype="noise", text="吵")
    case.status = Status(status)  # a fixture: put the case where the table needs it
    return case


@pytest.mark.parametrize("status", list(ALLOWED))
@pytest.mark.parametrize("action", list(flow.MOVES))
def test_each_move_is_allowed_exactly_from_its_statuses(session, status, action):
    case = _case_in(session, status)
    if action in ALLOWED[status]:
        flow.move(session, case=case, action=action, actor_id="officer-a", now=NOW, detail="原因")
        last = cases.case_events(session, case_id=case.id)[-1]
        assert last.action == flow.MOVES[action].event and last.actor_id == "officer-a" and last.detail == "原因"
        assert case.status == (flow.MOVES[action].to or status)
    else:
        with pytest.raises(flow.MoveRefused) as refused:
            flow.move(session, case=case, action=action, actor_id="officer-a", now=NOW)
        assert f"{case.id}号当前状态为" in refused.value.reason and case.status == status


def test_open_with_an_assignee_is_assigned_and_audited_in_chinese(session):
    case = flow.open_case(session, now=NOW, actor_id="r", kind="dispute", subtype="noise", text="吵",
                          assignee_id="officer-a")
    events = cases.case_events(session, case_id=case.id)
    assert [(e.action, e.from_status, e.to_status, e.detail) for e in events] == [
        ("opened", None, "open", "矛盾纠纷/噪音扰民"), ("assigned", "open", "assigned", "负责人：甲警官")]


def test_resolve_close_reopen_keep_the_timestamps_right(session):
    case = _case_in(session, "in_progress")
    officer = session.get(Person, "officer-a")
    flow.resolve(session, case=case, actor=officer, now=NOW, outcome="已调解")
    assert case.resolved_at == NOW and case.outcome == "已调解"
    flow.close(session, case=case, actor_id="officer-a", now=NOW, outcome="")
    assert case.closed_at == NOW and case.outcome == "已调解"
    flow.reopen(session, case=case, actor_id="officer-a", now=NOW, reason="又吵了")
    assert (case.status, case.resolved_at, case.closed_at) == ("assigned", None, None)


def test_a_false_alarm_is_closed_as_such_through_the_state_machine(session):
    case = _case_in(session, "assigned")
    flow.mark_wrong(session, case=case, actor_id="officer-a", now=NOW, reason="玩笑话")
    last = cases.case_events(session, case_id=case.id)[-1]
    assert (case.status, case.outcome, case.closed_at) == ("closed", "误报", NOW)
    assert (last.action, last.from_status, last.to_status, last.detail) == ("marked_wrong", "assigned", "closed",
                                                                          "误报：玩笑话")
