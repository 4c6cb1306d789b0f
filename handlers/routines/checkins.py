"""Check-ins for residents who live alone (平安探访), run by the minute timers: on each resident's days a direct
message (回复 1 平安，回复 2 需要帮忙); no answer within the resident's hours → the caretaker is asked to look in;
still nothing after as long again → the grid officer. A resident without WeChat is checked in by the caretaker
(`/checkin NAME ok`). Every step's time is kept on the CheckIn row (and shown in the daily digest)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from handlers import texts
from handlers.households.access import flag_names, salutation
from handlers.households.schedule import next_due
from handlers.routines import notify
from storage import households
from storage.models import CheckIn, Grid, Household, Person, Resident

MAX_CATCH_UP = 8  # check-ins of missed days recorded as skipped, at most


def run_checkins(session: Session, *, config: Any, now: datetime) -> int:
    """Schedule, send and escalate whatever check-in work is due; returns how many messages it wrote."""
    _schedule(session, config=config, now=now)
    return _send_due(session, config=config, now=now) + _escalate(session, config=config, now=now)


def wait_hours(config: Any, resident: Resident) -> int:
    return resident.checkin_wait_hours or config.households.checkin_wait_hours


def checkin_time(config: Any, resident: Resident) -> str:
    return resident.checkin_time or config.households.checkin_time


def _schedule(session: Session, *, config: Any, now: datetime) -> None:
    for resident in households.residents_to_schedule(session):
        resident.next_checkin_at = next_due(resident.checkin_days, checkin_time(config, resident), after=now,
                                            tz=config.tz, inclusive=True)
        session.add(resident)


def _send_due(session: Session, *, config: Any, now: datetime) -> int:
    done = 0
    for resident in households.residents_due(session, now=now):
        for _ in range(MAX_CATCH_UP):
            done += _due_one(session, config=config, now=now, resident=resident)
            if resident.next_checkin_at is None or resident.next_checkin_at > now:
                break
        else:  # down for longer than a week: start again from today
            resident.next_checkin_at = next_due(resident.checkin_days, checkin_time(config, resident), after=now,
                                                tz=config.tz, inclusive=True)
        session.add(resident)
    return done


def _due_one(session: Session, *, config: Any, now: datetime, resident: Resident) -> int:
    """The resident's next check-in, which is due: asked now, or recorded as skipped when its day is over."""
    due = resident.next_checkin_at
    day = due.astimezone(config.tz).date()
    if now.astimezone(config.tz).date() != day:
        session.add(CheckIn(resident_id=resident.id, due_at=due, state="skipped"))
        resident.next_checkin_at = next_due(resident.checkin_days, checkin_time(config, resident), after=due,
                                            tz=config.tz)
        return 0  # the bot was down all that day: a question at midnight helps nobody
    resident.next_checkin_at = next_due(resident.checkin_days, checkin_time(config, resident), after=now,
                                        tz=config.tz)
    day_start = datetime.combine(day, datetime.min.time(), tzinfo=config.tz)
    if households.checked_since(session, resident_id=resident.id, since=day_start) is not None:
        return 0  # the caretaker already looked in today
    checkin = CheckIn(resident_id=resident.id, due_at=due, asked_at=now)
    session.add(checkin)
    session.flush()
    return _first_step(session, config=config, now=now, checkin=checkin, resident=resident)


def _first_step(session: Session, *, config: Any, now: datetime, checkin: CheckIn, resident: Resident) -> int:
    view = notify.View(session, config)
    person = view.person(resident.person_id)
    if person is not None:
        notify.tell(session, now=now, person=person, key=f"checkin-{checkin.id}-ask", kind="notice",
                    text=texts.CHECKIN_QUESTION.format(salutation=salutation(resident)))
        checkin.state, checkin.next_at = "asked", now + timedelta(hours=wait_hours(config, resident))
    else:
        checkin.state = "asked"  # nobody to ask directly: the caretaker, else the officer, at once
        _step_up(session, config=config, now=now, checkin=checkin, resident=resident, first=True)
    session.add(checkin)
    return 1


def _escalate(session: Session, *, config: Any, now: datetime) -> int:
    done = 0
    for checkin in households.checkins_to_escalate(session, now=now):
        resident = session.get(Resident, checkin.resident_id)
        _step_up(session, config=config, now=now, checkin=checkin, resident=resident, first=False)
        session.add(checkin)
        done += 1
    return done


def _step_up(session: Session, *, config: Any, now: datetime, checkin: CheckIn, resident: Resident,
             first: bool) -> None:
    """asked → the caretaker looks in (when there is one); caretaker → the grid officer."""
    view = notify.View(session, config)
    household = session.get(Household, resident.household_id)
    caretaker = view.person(resident.caretaker_id)
    fields = _fields(config, checkin, resident, household, caretaker)
    if checkin.state == "asked" and caretaker is not None:
        text = (texts.CHECKIN_LOOK_IN if first else texts.CHECKIN_NO_ANSWER).format(**fields)
        notify.tell(session, now=now, person=caretaker, text=text, key=f"checkin-{checkin.id}-caretaker",
                    kind="notice")
        checkin.state, checkin.caretaker_at = "caretaker", now
        checkin.next_at = now + timedelta(hours=wait_hours(config, resident))
        return
    grid = session.get(Grid, household.grid_id)
    officer = view.person(grid.officer_id if grid else None)
    notify.tell(session, now=now, person=officer, text=texts.CHECKIN_TO_OFFICER.format(**fields),
                key=f"checkin-{checkin.id}-officer", kind="alert")
    checkin.state, checkin.officer_at, checkin.next_at = "officer", now, None


def _fields(config: Any, checkin: CheckIn, resident: Resident, household: Household,
            caretaker: Person | None) -> dict[str, Any]:
    return {"name": resident.name, "flags": flag_names(resident) or texts.NOBODY, "address": household.address,
            "phone": resident.phone or household.phone or texts.PHONE_UNKNOWN,
            "time": checkin.due_at.astimezone(config.tz).strftime("%H:%M"), "hours": wait_hours(config, resident),
            "caretaker": caretaker.name if caretaker else texts.NOBODY,
            "caretaker_phone": (caretaker.phone if caretaker else "") or texts.PHONE_UNKNOWN}


def close_open(session: Session, *, resident: Resident, now: datetime, by: str, state: str, answer: str,
               case_id: int | None = None) -> list[CheckIn]:
    """Every open check-in of the resident answered (ok, or help with its case). Returns them."""
    closed = list(households.open_checkins(session, resident_id=resident.id))
    for checkin in closed:
        checkin.state, checkin.answered_at, checkin.answered_by = state, now, by
        checkin.answer, checkin.case_id, checkin.next_at = answer[:500], case_id, None
        session.add(checkin)
    return closed


def record_ok(session: Session, *, resident: Resident, now: datetime, by: str, answer: str) -> None:
    """The resident is fine: their open check-ins close; with none open, today's is recorded as done early."""
    if close_open(session, resident=resident, now=now, by=by, state="ok", answer=answer):
        return
    same = households.checkin_due_at(session, resident_id=resident.id, due_at=now)  # two check-ins at one moment
    if same is not None:
        same.answered_by, same.answer = by, answer[:500]
        session.add(same)
        return
    session.add(CheckIn(resident_id=resident.id, due_at=now, state="ok", asked_at=None, answered_at=now,
                        answered_by=by, answer=answer[:500]))
