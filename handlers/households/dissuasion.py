"""Dissuasion tasks (预警劝阻): a warning that a resident is in contact with scammers, from an officer's
`/dissuade` or from the anti-fraud centre's feed (`create_from_feed`, called by the API). The household's grid
workers and officer get the task at once with the household's details; an outcome (已见面劝阻成功 / 未见到人 /
已报警) is expected within ``[households] dissuasion_minutes``; late tasks are escalated to the duty officer and
the creator, up to ``MAX_ESCALATIONS`` times; the success rate is counted."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Sequence

from sqlmodel import Session

from handlers import texts
from handlers.cases.assignment import station_for
from handlers.households.access import flag_names, normalize_phone, pick
from handlers.routines import notify
from storage import households, members, outreach
from storage.models import Dissuasion, Grid, Household, Person, Resident

MAX_ESCALATIONS = 3


def minutes_of(config: Any, task: Dissuasion) -> int:
    return max(1, int((task.deadline_at - task.created_at).total_seconds() // 60))


def create_task(session: Session, *, config: Any, now: datetime, resident: Resident | None,
                household: Household | None, target: str, text: str, created_by: str, source: str = "command",
                source_ref: str | None = None, minutes: int | None = None) -> tuple[Dissuasion, list[Person]]:
    """The task, given at once to the people responsible (returned)."""
    deadline = now + timedelta(minutes=minutes or config.households.dissuasion_minutes)
    task = Dissuasion(household_id=household.id if household else None, resident_id=resident.id if resident else None,
                      grid_id=household.grid_id if household else None, target=target[:100], text=text[:2000],
                      source=source, source_ref=source_ref, created_by=created_by, created_at=now,
                      deadline_at=deadline, next_check_at=deadline)
    session.add(task)
    session.flush()
    people = responsible(session, config=config, task=task)
    card = task_text(session, config=config, task=task)
    for person in people:
        notify.tell(session, now=now, person=person, text=card, key=f"dissuasion-{task.id}", kind="alert")
    return task, people


def responsible(session: Session, *, config: Any, task: Dissuasion) -> list[Person]:
    """The household's grid workers and officer; for a warning about someone not on the roster, the duty officer."""
    found: list[Person | None] = []
    grid = session.get(Grid, task.grid_id) if task.grid_id else None
    if grid is not None:
        found += [session.get(Person, m.person_id) for m in members.members_of(session, grid_id=grid.id, duty="worker")]
        found.append(session.get(Person, grid.officer_id))
    else:
        found.append(_duty_officer(session, config=config, grid_id=None))
    return list({p.id: p for p in found if p is not None}.values())


def _duty_officer(session: Session, *, config: Any, grid_id: str | None) -> Person | None:
    station = station_for(session, grid_id=grid_id, config=config)
    return session.get(Person, station.duty_officer_id) if station and station.duty_officer_id else None


def task_text(session: Session, *, config: Any, task: Dissuasion) -> str:
    minutes = minutes_of(config, task)
    deadline = task.deadline_at.astimezone(config.tz).strftime("%H:%M")
    household = session.get(Household, task.household_id) if task.household_id else None
    if household is None:
        return texts.DISSUASION_UNMATCHED.format(id=task.id, target=task.target, minutes=minutes, deadline=deadline,
                                                 text=task.text)
    resident = session.get(Resident, task.resident_id) if task.resident_id else None
    grid = session.get(Grid, household.grid_id)
    others = [r.name for r in households.residents_of(session, household_id=household.id)
              if resident is None or r.id != resident.id]
    flags = flag_names(resident) if resident else ""
    return texts.DISSUASION_TASK.format(
        id=task.id, minutes=minutes, deadline=deadline, name=resident.name if resident else task.target,
        flags=f"（{flags}）" if flags else "", phone=(resident.phone if resident else "") or household.phone
        or texts.PHONE_UNKNOWN, address=household.address, household=household.id,
        grid=grid.name if grid else texts.UNGRIDDED, members="、".join(others) or texts.NONE_LISTED, text=task.text)


def parse_outcome(text: str) -> tuple[str, str] | None:
    """'已见面劝阻成功 已卸载APP' → ('persuaded', '已卸载APP'); None when no outcome is named."""
    text = text.strip()
    for word, outcome in sorted(texts.DISSUASION_OUTCOME_WORDS.items(), key=lambda kv: -len(kv[0])):
        if text.startswith(word):
            return outcome, text[len(word):].strip(" ，,：:")
    return None


def record_outcome(session: Session, *, config: Any, task: Dissuasion, outcome: str, note: str, by: Person,
                   now: datetime) -> None:
    task.state, task.outcome, task.outcome_note = "done", outcome, note[:500]
    task.outcome_by, task.outcome_at, task.next_check_at = by.id, now, None
    session.add(task)
    resident = session.get(Resident, task.resident_id) if task.resident_id else None
    alert = texts.DISSUASION_OUTCOME_ALERT.format(id=task.id, name=resident.name if resident else task.target,
                                                  outcome=texts.DISSUASION_OUTCOME_NAMES[outcome],
                                                  note=f"，{note}" if note else "", by=by.name)
    targets = [*responsible(session, config=config, task=task), session.get(Person, task.created_by)]
    if task.escalations:
        targets.append(_duty_officer(session, config=config, grid_id=task.grid_id))
    for person in {p.id: p for p in targets if p is not None and p.id != by.id}.values():
        notify.tell(session, now=now, person=person, text=alert, key=f"dissuasion-{task.id}-outcome", kind="notice")


def escalate_late(session: Session, *, config: Any, now: datetime) -> int:
    """Tasks past their deadline without an outcome: the responsible, the duty officer and the creator are told."""
    done = 0
    for task in outreach.dissuasions_late(session, now=now):
        task.escalations += 1
        minutes = minutes_of(config, task)
        late = int((now - task.created_at).total_seconds() // 60)
        text = texts.DISSUASION_LATE.format(id=task.id, minutes=late, n=task.escalations,
                                            task=task_text(session, config=config, task=task))
        targets = [*responsible(session, config=config, task=task),
                   _duty_officer(session, config=config, grid_id=task.grid_id), session.get(Person, task.created_by)]
        for person in {p.id: p for p in targets if p is not None}.values():
            notify.tell(session, now=now, person=person, text=text, key=f"dissuasion-{task.id}-late-{task.escalations}")
        more = task.escalations < MAX_ESCALATIONS
        task.next_check_at = now + timedelta(minutes=minutes) if more else None
        session.add(task)
        done += 1
    return done


def counts(tasks: Sequence[Dissuasion]) -> dict[str, int]:
    done = [t for t in tasks if t.state == "done"]
    by = {o: sum(1 for t in done if t.outcome == o) for o in texts.DISSUASION_OUTCOME_NAMES}
    return {"total": len(tasks), "done": len(done), "open": len(tasks) - len(done),
            "late": sum(1 for t in tasks if t.escalations), **by}


def stats_line(session: Session, *, grid_ids: Sequence[str] | None) -> str:
    c = counts(outreach.dissuasions_of(session, grid_ids=grid_ids))
    rate = f"{100 * c['persuaded'] / c['done']:.0f}%（{c['persuaded']}/{c['done']}）" if c["done"] else texts.STATS_NONE
    return texts.STATS_DISSUASION.format(rate=rate, **c)


def task_json(task: Dissuasion) -> dict[str, Any]:
    return {"id": task.id, "state": task.state, "matched": task.household_id is not None,
            "household_id": task.household_id, "grid_id": task.grid_id, "outcome": task.outcome,
            "outcome_note": task.outcome_note, "created_at": task.created_at.isoformat(),
            "deadline_at": task.deadline_at.isoformat(), "escalations": task.escalations,
            "outcome_at": task.outcome_at.isoformat() if task.outcome_at else None}


class FeedError(ValueError):
    """A warning from the feed that cannot be taken (the message says which field)."""


def create_from_feed(session: Session, *, config: Any, now: datetime, payload: Any) -> tuple[bool, dict[str, Any]]:
    """A warning from the anti-fraud centre's feed: ``{"phone" | "name", "text", "id"?, "grid_id"?, "minutes"?}``.
    Returns (created, the task as JSON); the same ``id`` again returns the first task. Raises FeedError."""
    if not isinstance(payload, dict):
        raise FeedError("body must be a JSON object")
    text, phone, name = (payload.get(k) for k in ("text", "phone", "name"))
    ref, grid_id, minutes = payload.get("id"), payload.get("grid_id"), payload.get("minutes")
    if not isinstance(text, str) or not text.strip():
        raise FeedError("text: required")
    if not (isinstance(phone, str) and phone.strip()) and not (isinstance(name, str) and name.strip()):
        raise FeedError("phone or name: required")
    if minutes is not None and (not isinstance(minutes, int) or not 1 <= minutes <= 24 * 60):
        raise FeedError("minutes: an integer from 1 to 1440")
    if ref is not None:
        ref = str(ref)[:100]
        existing = outreach.dissuasion_by_ref(session, source="api", source_ref=ref)
        if existing is not None:
            return False, task_json(existing)
    phone = normalize_phone(phone) if isinstance(phone, str) and phone.strip() else None
    grids = [grid_id] if isinstance(grid_id, str) and grid_id else None
    found = households.find_residents(session, phone=phone, grid_ids=grids) if phone else \
        households.find_residents(session, name=name.strip(), grid_ids=grids)
    resident, household = pick(found, phone=phone) or (None, None)
    task, _ = create_task(session, config=config, now=now, resident=resident, household=household,
                          target=phone or name.strip(), text=text.strip(), created_by="api", source="api",
                          source_ref=ref, minutes=minutes)
    return True, task_json(task)
