"""Queries of Household, Resident and CheckIn, and the bulk upsert of an imported household sheet.
Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import bindparam, func, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, or_, select

from storage.models import Account, CheckIn, Household, Person, Resident, Role

OPEN_CHECKIN_STATES = ("asked", "caretaker", "officer")


# --- households and residents ---


def get_household(session: Session, *, household_id: str) -> Household | None:
    return session.get(Household, household_id)


def residents_of(session: Session, *, household_id: str, active: bool = True) -> Sequence[Resident]:
    stmt = select(Resident).where(Resident.household_id == household_id)
    if active:
        stmt = stmt.where(Resident.active)
    return session.exec(stmt.order_by(Resident.id)).all()


def households_at(session: Session, *, address: str, grid_ids: Sequence[str] | None) -> Sequence[Household]:
    stmt = select(Household).where(Household.address == address)
    if grid_ids is not None:
        stmt = stmt.where(Household.grid_id.in_(grid_ids))
    return session.exec(stmt.order_by(Household.id)).all()


def find_residents(session: Session, *, name: str | None = None, phone: str | None = None,
                   grid_ids: Sequence[str] | None = None, limit: int = 20) -> Sequence[tuple[Resident, Household]]:
    """Active residents by exact name, or by their own or their household's phone; within ``grid_ids`` if given."""
    stmt = select(Resident, Household).join(Household, Household.id == Resident.household_id).where(Resident.active)
    if name is not None:
        stmt = stmt.where(Resident.name == name)
    if phone is not None:
        stmt = stmt.where(or_(Resident.phone == phone, Household.phone == phone))
    if grid_ids is not None:
        stmt = stmt.where(Household.grid_id.in_(grid_ids))
    return session.exec(stmt.order_by(Household.id, Resident.id).limit(limit)).all()


def resident_of_person(session: Session, *, person_id: str) -> Resident | None:
    """The flagged, active resident record of a chat identity (None for everyone else). Most senders have none: a
    prebuilt Core statement of ids and flags answers them without loading a row (or autoflushing)."""
    found = session.connection().execute(_FLAGS_OF_PERSON, {"person_id": person_id}).all()
    resident_id = next((row.id for row in found if row.flags), None)
    return session.get(Resident, resident_id) if resident_id is not None else None


_RESIDENT = Resident.__table__.c
_FLAGS_OF_PERSON = (sa_select(_RESIDENT.id, _RESIDENT.flags)
                    .where(_RESIDENT.person_id == bindparam("person_id"), _RESIDENT.active)
                    .order_by(_RESIDENT.id))


def households_of_grids(session: Session, *, grid_ids: Sequence[str]) -> Sequence[Household]:
    return session.exec(select(Household).where(Household.grid_id.in_(grid_ids)).order_by(Household.id)).all()


def household_counts(session: Session, *, grid_ids: Sequence[str] | None = None) -> dict[str, int]:
    """Households per grid."""
    stmt = select(Household.grid_id, func.count()).group_by(Household.grid_id)
    if grid_ids is not None:
        stmt = stmt.where(Household.grid_id.in_(grid_ids))
    return dict(session.exec(stmt).all())


# --- check-in schedule ---


def residents_to_schedule(session: Session, *, limit: int = 1000) -> Sequence[Resident]:
    """Residents with check-in days whose next check-in has not been computed yet."""
    return session.exec(select(Resident).where(Resident.active, Resident.checkin_days != "",
                                               Resident.next_checkin_at.is_(None)).limit(limit)).all()


def residents_due(session: Session, *, now: datetime, limit: int = 1000) -> Sequence[Resident]:
    return session.exec(select(Resident).where(Resident.active, Resident.next_checkin_at <= now)
                        .order_by(Resident.next_checkin_at, Resident.id).limit(limit)
                        .with_for_update(skip_locked=True)).all()


def checkins_to_escalate(session: Session, *, now: datetime, limit: int = 1000) -> Sequence[CheckIn]:
    return session.exec(select(CheckIn).where(CheckIn.state.in_(("asked", "caretaker")), CheckIn.next_at <= now)
                        .order_by(CheckIn.next_at, CheckIn.id).limit(limit).with_for_update(skip_locked=True)).all()


def open_checkins(session: Session, *, resident_id: int) -> Sequence[CheckIn]:
    return session.exec(select(CheckIn).where(CheckIn.resident_id == resident_id,
                                              CheckIn.state.in_(OPEN_CHECKIN_STATES)).order_by(CheckIn.id)).all()


def checkin_due_at(session: Session, *, resident_id: int, due_at: datetime) -> CheckIn | None:
    """The resident's check-in due at exactly ``due_at`` (one per resident and moment)."""
    return session.exec(select(CheckIn).where(CheckIn.resident_id == resident_id, CheckIn.due_at == due_at)).first()


def checked_since(session: Session, *, resident_id: int, since: datetime) -> CheckIn | None:
    """A check-in of the resident answered ``ok`` at or after ``since`` (a caretaker looked in early)."""
    return session.exec(select(CheckIn).where(CheckIn.resident_id == resident_id, CheckIn.state == "ok",
                                              CheckIn.answered_at >= since).limit(1)).first()


def checkins_between(session: Session, *, since: datetime, until: datetime,
                     grid_ids: Sequence[str] | None) -> Sequence[tuple[CheckIn, Resident, Household]]:
    """Check-ins due in [since, until) or still open, of residents of these grids (None: all)."""
    stmt = (select(CheckIn, Resident, Household).join(Resident, Resident.id == CheckIn.resident_id)
            .join(Household, Household.id == Resident.household_id)
            .where(or_((CheckIn.due_at >= since) & (CheckIn.due_at < until), CheckIn.state.in_(OPEN_CHECKIN_STATES))))
    if grid_ids is not None:
        stmt = stmt.where(Household.grid_id.in_(grid_ids))
    return session.exec(stmt.order_by(CheckIn.due_at, CheckIn.id)).all()


def any_households(session: Session) -> bool:
    return session.exec(select(Household.id).limit(1)).first() is not None


# --- the household sheet ---


def upsert_households(session: Session, *, households: Sequence[dict[str, Any]],
                      residents: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Households and their residents as the sheet lists them. A resident is known by (household, name); one
    no longer on the sheet is kept but made inactive. A changed check-in schedule is computed afresh."""
    have = set(session.exec(select(Household.id).where(Household.id.in_([h["id"] for h in households]))).all())
    rows = list(households)
    if new := [r for r in rows if r["id"] not in have]:
        session.execute(insert(Household), new)
    if old := [r for r in rows if r["id"] in have]:
        session.execute(update(Household), old)
    current = {(r.household_id, r.name): r for r in session.exec(
        select(Resident).where(Resident.household_id.in_([h["id"] for h in households])))}
    added = updated = 0
    wanted = set()
    for values in residents:
        key = (values["household_id"], values["name"])
        wanted.add(key)
        row = current.get(key)
        if row is None:
            session.add(Resident(**values))
            added += 1
            continue
        schedule = (row.checkin_days, row.checkin_time, row.active)
        for name, value in values.items():
            setattr(row, name, value)
        row.active = True
        if (row.checkin_days, row.checkin_time, row.active) != schedule:
            row.next_checkin_at = None
        session.add(row)
        updated += 1
    for key, row in current.items():
        if key not in wanted and row.active:
            row.active, row.next_checkin_at = False, None
            session.add(row)
    session.flush()
    return {"added": added, "updated": updated}


def person_for_account(session: Session, *, family: str | None, external_id: str) -> Person | None:
    if family is None:
        return session.get(Person, external_id)
    account = session.get(Account, (family, external_id))
    return session.get(Person, account.person_id) if account else None


def ensure_resident_person(session: Session, *, family: str | None, external_id: str, name: str, phone: str,
                           grid_id: str, dm_channel: str | None) -> Person:
    """The resident behind a chat account, made now if they never wrote (as ``people.resident_for`` would)."""
    person = person_for_account(session, family=family, external_id=external_id)
    if person is None:
        person = Person(id=external_id if family is None else f"{family}:{external_id}", name=name, role=Role.RESIDENT,
                        phone=phone, grid_id=grid_id, dm_channel=dm_channel,
                        dm_chat_id=external_id if dm_channel else None)
        session.add(person)
        session.flush()
        if family is not None:
            session.add(Account(family=family, external_id=external_id, person_id=person.id))
    else:
        person.grid_id = grid_id
        person.name = name if person.name == person.id else person.name
        session.add(person)
    return person
