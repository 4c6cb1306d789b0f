"""Who may see a household, and finding one as staff type it. A household is personal data: only the staff of
its grid (its officer and grid workers) and station-wide staff see it, a resident's caretaker sees that
resident, and every read of a record through the console or the API is audited."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Sequence

from sqlmodel import Session

from handlers import scope, texts
from storage import households
from storage.models import AuditEntry, Household, Person, Resident, Role

PHONE = re.compile(r"^\+?\d{5,20}$")
STAFF_ROLES = (Role.OFFICER, Role.ADMIN, Role.GRID_WORKER)


def visible_grids(session: Session, person: Person) -> list[str] | None:
    """The grids whose households a person may see; None: every grid (station-wide staff)."""
    if scope.station_wide(person):
        return None
    if person.role not in STAFF_ROLES:
        return []
    return sorted(scope.grids_of(session, person))


def may_see(session: Session, person: Person, household: Household) -> bool:
    grids = visible_grids(session, person)
    return grids is None or household.grid_id in grids


def may_check_in(session: Session, person: Person, resident: Resident, household: Household) -> bool:
    return resident.caretaker_id == person.id or may_see(session, person, household)


def flag_names(resident: Resident) -> str:
    return "、".join(texts.FLAG_NAMES.get(f, f) for f in resident.flags)


def salutation(resident: Resident) -> str:
    return resident.salutation or resident.name


def normalize_phone(text: str) -> str:
    return re.sub(r"[\s\-()（）]", "", text)


def find_household(session: Session, person: Person, text: str) -> Household | None:
    """A household by its number or its exact address, among those the person may see."""
    grids = visible_grids(session, person)
    household = households.get_household(session, household_id=text)
    if household is not None:
        return household if grids is None or household.grid_id in grids else None
    found = households.households_at(session, address=text, grid_ids=grids)
    return found[0] if len(found) == 1 else None


def find_residents(session: Session, person: Person, who: str, *,
                   cared_for: bool = False) -> Sequence[tuple[Resident, Household]]:
    """Residents by name, phone or household number (its flagged members), among those the person may see;
    with ``cared_for`` also the residents they are the caretaker of."""
    grids = visible_grids(session, person)
    who = who.strip()
    phone = normalize_phone(who)
    if PHONE.match(phone):
        found = households.find_residents(session, phone=phone, grid_ids=None)
    else:
        household = households.get_household(session, household_id=who)
        if household is not None:
            members = [r for r in households.residents_of(session, household_id=who)]
            flagged = [r for r in members if r.flags] or members
            found = [(r, household) for r in flagged]
        else:
            found = households.find_residents(session, name=who, grid_ids=None)
    return [(r, h) for r, h in found
            if grids is None or h.grid_id in grids or (cared_for and r.caretaker_id == person.id)]


def choices(found: Sequence[tuple[Resident, Household]], limit: int = 8) -> str:
    return "；".join(texts.RESIDENT_CHOICE.format(household=h.id, address=h.address, name=r.name)
                    for r, h in found[:limit])


def household_record(session: Session, *, household_id: str, reader: Person, via: str,
                     now: datetime) -> dict[str, Any] | None:
    """A household with its residents, for the console or the API, if the reader may see it (None otherwise:
    the caller answers 404 either way); the read is audited (who, how, which)."""
    household = households.get_household(session, household_id=household_id)
    if household is None or not may_see(session, reader, household):
        return None
    reader_id = reader.id
    residents = households.residents_of(session, household_id=household_id)
    vulnerable = [r.name for r in residents if r.flags]
    session.add(AuditEntry(at=now, actor_id=reader_id, action="read_household",
                           detail=f"{via} {household_id}" + (" vulnerable" if vulnerable else "")))
    return {
        "id": household.id, "grid_id": household.grid_id, "address": household.address, "phone": household.phone,
        "note": household.note,
        "residents": [{"id": r.id, "name": r.name, "salutation": r.salutation, "phone": r.phone,
                       "flags": list(r.flags), "caretaker_id": r.caretaker_id, "has_wechat": r.person_id is not None,
                       "checkin_days": r.checkin_days, "checkin_time": r.checkin_time,
                       "checkin_wait_hours": r.checkin_wait_hours, "note": r.note} for r in residents],
    }


def pick(found: Sequence[tuple[Resident, Household]], *, phone: str | None = None
         ) -> tuple[Resident | None, Household] | None:
    """The one resident (or at least the one household) a search found; None when it is none or ambiguous."""
    if len(found) == 1:
        return found[0]
    homes = {h.id: h for _, h in found}
    if len(homes) != 1:
        return None
    own = [r for r, _ in found if phone and r.phone == phone]
    return (own[0] if len(own) == 1 else None), next(iter(homes.values()))


def answer(ctx: Any, text: str) -> None:
    """Household commands answer in the sender's direct chat, wherever they were typed: addresses and phones
    never reach a group."""
    ctx.tell(ctx.sender, text, kind="reply")
