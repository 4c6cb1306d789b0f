"""Grid boundaries: who may see and act on which case. Police and grid workers act on their own grids'
cases; a station-wide member (the duty officer, station leaders, admins) on every case; a mediator on the
cases given to them. Checked once, in handlers/commands/common.py, for every command on a case."""
from __future__ import annotations

from sqlalchemy import false, or_, true
from sqlmodel import Session, col

from storage import members
from storage.models import Case, Person, Role, Scope


def grids_of(session: Session, person: Person) -> frozenset[str]:
    """The grids a member of staff serves (as officer or grid worker)."""
    return members.grids_of(session, person_id=person.id)


def station_wide(person: Person) -> bool:
    return person.scope == Scope.STATION and person.role in (Role.OFFICER, Role.ADMIN)


def may_act_on(session: Session, person: Person, case: Case) -> bool:
    """Whether a member of staff may see and work on a case at all (the command's role is checked apart)."""
    if station_wide(person):
        return True
    if person.role == Role.MEDIATOR:
        return case.mediator_id == person.id
    if person.role in (Role.OFFICER, Role.ADMIN, Role.GRID_WORKER):
        return case.assignee_id == person.id or (case.grid_id is not None and case.grid_id in grids_of(session, person))
    return False


def visible_clause(session: Session, person: Person):  # noqa: ANN201
    """The SQL condition on Case that selects exactly the cases ``may_act_on`` allows (lists, boards, exports)."""
    if station_wide(person):
        return true()
    if person.role == Role.MEDIATOR:
        return Case.mediator_id == person.id
    if person.role in (Role.OFFICER, Role.ADMIN, Role.GRID_WORKER):
        grids = sorted(grids_of(session, person))
        return or_(Case.assignee_id == person.id, col(Case.grid_id).in_(grids)) if grids else Case.assignee_id == person.id
    return false()


def visible_grids(session: Session, person: Person) -> list[str] | None:
    """The grids whose figures a person may read (None: every grid)."""
    return None if station_wide(person) else sorted(grids_of(session, person))
