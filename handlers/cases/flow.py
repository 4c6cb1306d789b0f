"""The case state machine: the only code that changes a case's status. Every move is checked against the
allowed moves and audited as a CaseEvent.

open → assigned → in_progress → resolved → closed; reopen brings a resolved or closed case back to assigned;
escalate raises the level grid → community → station (小事不出网格、大事不出社区) without changing the status.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from handlers import texts
from handlers.roles import ACKERS
from storage import cases, roster
from storage.models import ACTIVE_STATUSES, Case, Level, Person, Role, Status

ANY_ACTIVE = frozenset(ACTIVE_STATUSES)


@dataclass(frozen=True)
class Move:
    """One allowed move: from which statuses, to which (None: the status stays), audited as ``event``."""

    allowed_from: frozenset[Status]
    to: Status | None
    event: str


MOVES: dict[str, Move] = {
    "assign_on_open": Move(frozenset({Status.OPEN}), Status.ASSIGNED, "assigned"),
    "acknowledge": Move(frozenset({Status.OPEN, Status.ASSIGNED}), Status.IN_PROGRESS, "acknowledged"),
    "take": Move(ANY_ACTIVE, Status.IN_PROGRESS, "taken"),
    "assign": Move(ANY_ACTIVE, Status.ASSIGNED, "assigned"),
    "transfer": Move(ANY_ACTIVE, Status.ASSIGNED, "transferred"),
    "resolve": Move(ANY_ACTIVE, Status.RESOLVED, "resolved"),
    "close": Move(ANY_ACTIVE | {Status.RESOLVED}, Status.CLOSED, "closed"),
    "reopen": Move(frozenset({Status.RESOLVED, Status.CLOSED}), Status.ASSIGNED, "reopened"),
    "escalate": Move(ANY_ACTIVE, None, "escalated"),
    "hard": Move(ANY_ACTIVE, None, "marked_hard"),
    "wrong": Move(ANY_ACTIVE | {Status.RESOLVED}, Status.CLOSED, "marked_wrong"),  # a false alarm: 误报
    "reroute": Move(ANY_ACTIVE, Status.ASSIGNED, "rerouted"),  # the bot read it as the wrong kind: new people
}
NEXT_LEVEL = {Level.GRID: Level.COMMUNITY, Level.COMMUNITY: Level.STATION}
ACK_EVENTS = ("acknowledged", "taken")


class MoveRefused(Exception):
    """A move the case's status does not allow; ``reason`` is one Chinese sentence for the officer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def refusal(case: Case, action: str) -> str | None:
    """Why ``action`` may not be done to the case now (one Chinese sentence), or None when it may."""
    if case.status in MOVES[action].allowed_from:
        return None
    return texts.INVALID_TRANSITION.format(case=case.id, status=texts.STATUS_NAMES[case.status],
                                           action=texts.ACTION_NAMES[action])


def move(session: Session, *, case: Case, action: str, actor_id: str, now: datetime, detail: str = "") -> None:
    """Make one move and audit it; raises MoveRefused when the case's status does not allow it."""
    reason = refusal(case, action)
    if reason:
        raise MoveRefused(reason)
    step = MOVES[action]
    from_status = case.status
    if step.to is not None:
        case.status = step.to
        if step.to == Status.RESOLVED:
            case.resolved_at = now
        elif step.to == Status.CLOSED:
            case.closed_at = now
        elif action == "reopen":
            case.resolved_at = case.closed_at = None
    cases.touch(session, case=case, now=now)
    cases.record_event(session, case=case, now=now, actor_id=actor_id, action=step.event,
                       from_status=from_status if step.to else None, to_status=step.to, detail=detail)


def open_case(session: Session, *, now: datetime, actor_id: str, **fields: Any) -> Case:
    """A new case (``open``), assigned at once when it has an assignee."""
    case = cases.insert_case(session, now=now, **fields)
    detail = texts.type_label(case.kind, case.subtype, case.scam_type)
    cases.record_event(session, case=case, now=now, actor_id=actor_id, action="opened", to_status=Status.OPEN,
                       detail=detail)
    if case.assignee_id:
        move(session, case=case, action="assign_on_open", actor_id="gridbot", now=now,
             detail=texts.EVENT_ASSIGNEE.format(name=_name(session, case.assignee_id)))
    return case


def acknowledge(session: Session, *, case: Case, actor: Person, now: datetime, start: bool = True) -> bool:
    """An officer's or mediator's command on a case takes it in hand; True when this was the first sign.
    ``start``: move an open or assigned case to in progress (else only a help call's acknowledgement is noted)."""
    if actor.role not in ACKERS:
        return False
    if start and refusal(case, "acknowledge") is None:
        move(session, case=case, action="acknowledge", actor_id=actor.id, now=now)
        return True
    if case.kind == "help" and not acknowledged(session, case):
        cases.record_event(session, case=case, now=now, actor_id=actor.id, action="acknowledged")
        return True
    return False


def acknowledged(session: Session, case: Case) -> bool:
    """Whether someone has already taken the case in hand (acknowledged or taken it)."""
    return cases.last_event(session, case_id=case.id, actions=ACK_EVENTS) is not None


def take(session: Session, *, case: Case, actor: Person, now: datetime) -> None:
    if actor.role != Role.MEDIATOR:
        case.assignee_id = actor.id
    move(session, case=case, action="take", actor_id=actor.id, now=now,
         detail=texts.EVENT_ASSIGNEE.format(name=_name(session, case.assignee_id)))


def assign(session: Session, *, case: Case, actor: Person, person: Person, now: datetime, action: str) -> None:
    """``action``: assign or transfer. A mediator becomes the case's mediator, anyone else its assignee."""
    previous = case.mediator_id if person.role == Role.MEDIATOR else case.assignee_id
    if person.role == Role.MEDIATOR:
        case.mediator_id = person.id
    else:
        case.assignee_id = person.id
    move(session, case=case, action=action, actor_id=actor.id, now=now,
         detail=texts.EVENT_HANDOVER.format(before=_name(session, previous), after=person.name))


def resolve(session: Session, *, case: Case, actor: Person, now: datetime, outcome: str) -> None:
    case.outcome = outcome
    move(session, case=case, action="resolve", actor_id=actor.id, now=now, detail=outcome)


def close(session: Session, *, case: Case, actor_id: str, now: datetime, outcome: str) -> None:
    if outcome:
        case.outcome = outcome
    move(session, case=case, action="close", actor_id=actor_id, now=now, detail=outcome)


def reopen(session: Session, *, case: Case, actor_id: str, now: datetime, reason: str) -> None:
    move(session, case=case, action="reopen", actor_id=actor_id, now=now, detail=reason)


def escalate(session: Session, *, case: Case, actor_id: str, now: datetime, reason: str, config: Any,
             to: Level | None = None) -> Level:
    """Raise the case one level (or to ``to``); returns the new level. The caller checks it is not at the top."""
    level = to or NEXT_LEVEL[case.level]
    detail = texts.EVENT_ESCALATED.format(before=texts.LEVEL_NAMES[case.level], after=texts.LEVEL_NAMES[level],
                                          reason=reason)
    case.level = level
    community = roster.community_of(session, grid_id=case.grid_id)
    if level == Level.COMMUNITY and case.kind == "dispute" and community and community.mediator_id:
        case.mediator_id = community.mediator_id
    move(session, case=case, action="escalate", actor_id=actor_id, now=now, detail=detail)
    return level


def escalation_people(session: Session, *, config: Any, case: Case, level: str) -> list[Person]:
    """Who hears of a case at a level: community = the community mediator and the station's duty officer."""
    station = roster.station_of(session, grid_id=case.grid_id, default_id=config.station.id)
    community = roster.community_of(session, grid_id=case.grid_id)
    ids = [station.duty_officer_id if station else None]
    if level == Level.COMMUNITY and community and community.mediator_id:
        ids.insert(0, community.mediator_id)
    found = [session.get(Person, i) for i in dict.fromkeys(ids) if i]
    return [p for p in found if p is not None]


def mark_hard(session: Session, *, case: Case, actor: Person, now: datetime) -> None:
    case.hard = True
    move(session, case=case, action="hard", actor_id=actor.id, now=now)


def mark_wrong(session: Session, *, case: Case, actor_id: str, now: datetime, reason: str = "") -> None:
    """Close a false alarm as 误报 (the outcome says so; the reason is audited)."""
    case.outcome = texts.FALSE_ALARM
    move(session, case=case, action="wrong", actor_id=actor_id, now=now,
         detail=texts.FALSE_ALARM + (f"：{reason}" if reason else ""))


def reroute(session: Session, *, case: Case, actor_id: str, now: datetime, kind: str, subtype: str | None,
            scam_type: str | None, urgent: bool, assignee_id: str | None, mediator_id: str | None,
            detail: str) -> None:
    """An officer's correction of the kind (or subtype, scam type): the case goes to the people of the right kind.
    The new kind's handler rules (who is told, what the resident hears) are handlers/cases/correcting.py's."""
    refused = refusal(case, "reroute")
    if refused:
        raise MoveRefused(refused)
    case.kind, case.subtype, case.scam_type, case.urgent = kind, subtype, scam_type, urgent
    case.assignee_id, case.mediator_id = assignee_id, mediator_id
    move(session, case=case, action="reroute", actor_id=actor_id, now=now, detail=detail)


def _name(session: Session, person_id: str | None) -> str:
    person = session.get(Person, person_id) if person_id else None
    return person.name if person else texts.NOBODY
