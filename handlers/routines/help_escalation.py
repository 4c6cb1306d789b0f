"""A call for help nobody acknowledges within ``timers.help_ack_minutes`` is paged again, once per period until
someone acts on it, up the police chain: the first re-page goes to the officer holding it (the rota's officer on
duty) and the grid's officer, with the station's duty officer; from the second on, the station leaders too
(officers of station-wide scope). Only police are ever re-paged: never a mediator, grid worker or volunteer."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from handlers import rota, texts
from handlers.cases import flow as case_flow
from handlers.cases.view import case_card
from handlers.routines import notify
from handlers.roles import POLICE
from storage import cases, people, roster
from storage.models import Case, Grid, Level, Person, Status


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
    for person in police_chain(session, config=config, case=case, rounds=rounds, now=now):
        text = texts.HELP_REESCALATED.format(case=case.id, minutes=minutes,
                                             card=case_card(view, case, texts.HELP_CARD, reader=person))
        notify.tell(session, now=now, person=person, text=text, key=f"help-{case.id}-{rounds}", case_id=case.id)


def police_chain(session: Session, *, config: Any, case: Case, rounds: int, now: datetime) -> list[Person]:
    """Who a re-page reaches at its ``rounds``-th time: police only, each once, nearest first (the holder, the
    rota's officer on duty now, the grid's officer, the station's duty officer, then the station leaders)."""
    grid = session.get(Grid, case.grid_id) if case.grid_id else None
    station = roster.station_of(session, grid_id=case.grid_id, default_id=config.station.id)
    on_duty = rota.on_duty(session, grid_id=case.grid_id, now=now, tz=config.tz)
    ids = [case.assignee_id, on_duty.id if on_duty else None, grid.officer_id if grid else None,
           station.duty_officer_id if station else None]
    if rounds >= 2:
        ids += [p.id for p in people.station_police(session)]
    found = [session.get(Person, i) for i in dict.fromkeys(i for i in ids if i)]
    return [p for p in found if p is not None and p.role in POLICE]
