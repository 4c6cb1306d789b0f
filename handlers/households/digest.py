"""The household sections of an officer's daily digest: every step of the day's check-ins, outreach coverage of
their grids with their own grid days this week, and the dissuasion tasks. Names and household numbers only:
no phones and no addresses (the digest is a list, the cards carry the details)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Sequence

from sqlmodel import Session

from handlers import texts
from handlers.households.ledger import grid_days
from handlers.households.outreach import coverage_lines
from handlers.households.stats import checkin_line
from handlers.privacy import mask_personal
from storage import households, outreach
from storage.models import CheckIn, Household, Person, Resident

MAX_LINES = 10


def sections(session: Session, *, config: Any, officer: Person, grid_ids: list[str], since: datetime,
             now: datetime) -> list[str]:
    if not households.household_counts(session, grid_ids=grid_ids):
        return []
    checkins = households.checkins_between(session, since=since, until=now, grid_ids=grid_ids)
    summary = checkin_line([c for c, _, _ in checkins])
    lines = [_checkin_line(config, c, r, h) for c, r, h in checkins if c.state != "ok" or c.caretaker_at]
    week_start = _week_start(now, config.tz)
    days = grid_days(session, tz=config.tz, since=week_start, until=now).get(officer.id, set())
    outreach_lines = coverage_lines(session, config=config, grid_ids=grid_ids)[1:]
    outreach_lines.append(texts.DIGEST_VISIT_DAYS.format(days=len(days), target=config.households.visit_days_per_week))
    tasks = outreach.dissuasions_of(session, grid_ids=grid_ids, since=since)
    task_lines = [_task_line(session, t, now) for t in tasks]
    return [_section(texts.DIGEST_CHECKINS, lines, lead=summary), _section(texts.DIGEST_OUTREACH, outreach_lines),
            _section(texts.DIGEST_DISSUASION, task_lines)]


def _checkin_line(config: Any, checkin: CheckIn, resident: Resident, household: Household) -> str:
    def at(when: datetime) -> str:
        return when.astimezone(config.tz).strftime("%H:%M")

    steps = [texts.CHECKIN_STEP.format(time=at(when), step=texts.CHECKIN_STEP_NAMES[name])
             for name, when in (("asked", checkin.asked_at), ("caretaker", checkin.caretaker_at),
                                ("officer", checkin.officer_at)) if when is not None and
             not (name == "asked" and resident.person_id is None)]
    if checkin.answered_at is not None:
        state = texts.CHECKIN_STATE_NAMES[checkin.state]
        steps.append(texts.CHECKIN_ANSWERED.format(time=at(checkin.answered_at), by="", answer=state))
    elif checkin.state == "skipped":
        steps.append(texts.CHECKIN_STATE_NAMES["skipped"])
    else:
        steps.append(texts.CHECKIN_PENDING)
    due = checkin.due_at.astimezone(config.tz).strftime("%m-%d %H:%M")
    return texts.DIGEST_CHECKIN_LINE.format(name=resident.name, household=household.id, due=due,
                                            steps=" → ".join(steps))


def _task_line(session: Session, task: Any, now: datetime) -> str:
    resident = session.get(Resident, task.resident_id) if task.resident_id else None
    if task.state == "done":
        state = texts.DISSUASION_OUTCOME_NAMES[task.outcome]
    else:
        state = texts.DISSUASION_STATE_NAMES["late" if now > task.deadline_at else "open"]
    name = resident.name if resident else mask_personal(task.target)
    return texts.DIGEST_DISSUASION_LINE.format(id=task.id, name=name, state=state)


def _week_start(now: datetime, tz: Any) -> datetime:
    local = now.astimezone(tz)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, datetime.min.time(), tzinfo=tz)


def _section(title: str, lines: Sequence[str], lead: str | None = None) -> str:
    if not lines:
        return "\n".join([texts.DIGEST_EMPTY.format(title=title), *([lead] if lead else [])])
    shown = list(lines[:MAX_LINES])
    if len(lines) > MAX_LINES:
        shown.append(texts.DIGEST_MORE.format(n=len(lines) - MAX_LINES))
    return "\n".join([texts.DIGEST_SECTION.format(title=title, n=len(lines)), *([lead] if lead else []), *shown])
