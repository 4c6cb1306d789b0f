"""The case state machine: which action is allowed from which status, and the audited changes.

open → assigned → in_progress → resolved → closed; reopen brings a resolved or closed case back to
assigned; escalate raises the level grid → community → station (小事不出网格、大事不出社区) without
changing the status. Every change goes through ``storage.cases`` and so is a CaseEvent.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from handlers import texts
from storage import cases
from storage.models import Case, Person

ALLOWED_FROM = {
    "take": {"open", "assigned", "in_progress"},
    "assign": {"open", "assigned", "in_progress"},
    "transfer": {"open", "assigned", "in_progress"},
    "resolve": {"open", "assigned", "in_progress"},
    "close": {"open", "assigned", "in_progress", "resolved"},
    "reopen": {"resolved", "closed"},
    "escalate": {"open", "assigned", "in_progress"},
    "hard": {"open", "assigned", "in_progress"},
}
NEXT_LEVEL = {"grid": "community", "community": "station"}
ACK_ACTIONS = ("acknowledged", "taken")
ACKERS = frozenset({"officer", "admin", "mediator"})


def refusal(case: Case, action: str) -> str | None:
    """Why ``action`` may not be done to the case now (one Chinese sentence), or None when it may."""
    if case.status in ALLOWED_FROM[action]:
        return None
    return texts.INVALID_TRANSITION.format(case=case.id, status=texts.STATUS_NAMES.get(case.status, case.status),
                                           action=texts.ACTION_NAMES[action])


def acknowledge(session: Session, *, case: Case, actor: Person, now: datetime, move: bool = True) -> bool:
    """An officer's or mediator's command on a case takes it in hand; True when this was the first sign."""
    if actor.role not in ACKERS:
        return False
    if move and case.status in ("open", "assigned"):
        cases.set_status(session, case=case, now=now, actor_id=actor.id, action="acknowledged",
                         to_status="in_progress")
        return True
    if case.kind == "help" and cases.last_event(session, case_id=case.id, actions=ACK_ACTIONS) is None:
        cases.record_event(session, case=case, now=now, actor_id=actor.id, action="acknowledged")
        return True
    return False


def take(session: Session, *, case: Case, actor: Person, now: datetime) -> None:
    case.assignee_id = actor.id if actor.role != "mediator" else case.assignee_id
    cases.set_status(session, case=case, now=now, actor_id=actor.id, action="taken", to_status="in_progress",
                     detail=f"assignee {case.assignee_id}")


def assign(session: Session, *, case: Case, actor: Person, person: Person, now: datetime, action: str) -> None:
    previous = case.assignee_id
    if person.role == "mediator":
        case.mediator_id = person.id
    else:
        case.assignee_id = person.id
    cases.set_status(session, case=case, now=now, actor_id=actor.id, action=action, to_status="assigned",
                     detail=f"{previous or '-'} → {person.id}")


def resolve(session: Session, *, case: Case, actor: Person, now: datetime, outcome: str) -> None:
    case.outcome = outcome
    cases.set_status(session, case=case, now=now, actor_id=actor.id, action="resolved", to_status="resolved",
                     detail=outcome)


def reopen(session: Session, *, case: Case, actor_id: str, now: datetime, reason: str) -> None:
    case.resolved_at = None
    case.closed_at = None
    cases.set_status(session, case=case, now=now, actor_id=actor_id, action="reopened", to_status="assigned",
                     detail=reason)


def escalate(session: Session, *, case: Case, actor_id: str, now: datetime, reason: str, config: Any) -> str:
    """Raise the case one level; returns the new level. The caller checks the case is not at the top."""
    level = NEXT_LEVEL[case.level]
    cases.record_event(session, case=case, now=now, actor_id=actor_id, action="escalated",
                       detail=f"{case.level}→{level}：{reason}")
    case.level = level
    if level == "community" and config.mediation.community:
        case.mediator_id = config.mediation.community
    cases.touch(session, case=case, now=now)
    return level


def escalation_people(session: Session, *, config: Any, level: str) -> list[Person]:
    """Who hears of a case at a level: community = the community mediator and the duty officer."""
    ids = [config.station.duty_officer]
    if level == "community" and config.mediation.community:
        ids.insert(0, config.mediation.community)
    found = [session.get(Person, i) for i in dict.fromkeys(ids)]
    return [p for p in found if p is not None]


def mark_hard(session: Session, *, case: Case, actor: Person, now: datetime) -> None:
    case.hard = True
    cases.record_event(session, case=case, now=now, actor_id=actor.id, action="marked_hard")
    cases.touch(session, case=case, now=now)
