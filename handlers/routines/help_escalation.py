"""A call for help nobody acknowledges within ``timers.help_ack_minutes`` is escalated again, to the
duty officer and the community level, once per period until an officer acts on it."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from handlers import texts
from handlers.cases import flow as case_flow
from handlers.cases.view import case_card
from handlers.routines import notify
from storage import cases
from storage.models import Case, Level, Person, Status


def escalate_unacknowledged(session: Session, *, config: Any, now: datetime) -> int:
    period = timedelta(minutes=config.timers.help_ack_minutes)
    done = 0
    for case in cases.unacknowledged_help(session, opened_before=now - period):
        last = cases.last_event(session, case_id=case.id, actions=("escalated",))
        if now - (last.at if last else case.created_at) < period:
            continue
        locked = cases.get_case(session, case_id=case.id, for_update=True)
        if locked is not None and locked.status in (Status.OPEN, Status.ASSIGNED):
            _escalate(session, config=config, now=now, case=locked)
            done += 1
    return done


def _escalate(session: Session, *, config: Any, now: datetime, case: Case) -> None:
    minutes = int((now - case.created_at).total_seconds() // 60)
    rounds = len([e for e in cases.case_events(session, case_id=case.id) if e.action == "escalated"]) + 1
    level = Level.COMMUNITY if case.level == Level.GRID else Level(case.level)
    case_flow.escalate(session, case=case, actor_id="gridbot", now=now, config=config, to=level,
                       reason=texts.HELP_ESCALATION_DETAIL.format(minutes=minutes, n=rounds))
    view = notify.View(session, config)
    targets: list[Person | None] = [view.person(case.assignee_id)]
    targets += case_flow.escalation_people(session, config=config, case=case, level="community")
    for person in {p.id: p for p in targets if p is not None}.values():
        text = texts.HELP_REESCALATED.format(case=case.id, minutes=minutes,
                                             card=case_card(view, case, texts.HELP_CARD, reader=person))
        notify.tell(session, now=now, person=person, text=text, key=f"help-{case.id}-{rounds}", case_id=case.id)
