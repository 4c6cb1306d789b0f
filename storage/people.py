"""Queries of Person and Account: resolve channel identities to people, and where to reach them.
Keyword-only, session first, never commit."""
from __future__ import annotations

from typing import Sequence

from sqlmodel import Session, select

from storage.models import Account, Person, Role


def find_person(session: Session, *, family: str | None, external_id: str) -> Person | None:
    """The person behind an id: ``family`` None means the id is the person's own (the sandbox)."""
    if family is None:
        return session.get(Person, external_id)
    account = session.get(Account, (family, external_id))
    return session.get(Person, account.person_id) if account else None


def resident_for(session: Session, *, family: str | None, sender_id: str, name: str | None, grid_id: str | None,
                 dm_channel: str | None) -> Person:
    """The person behind a sender id; an unknown sender becomes a resident of the grid they wrote in,
    reached directly on ``dm_channel`` (None: the sandbox)."""
    person = find_person(session, family=family, external_id=sender_id)
    if person is not None:
        if person.grid_id is None and grid_id is not None and person.role == Role.RESIDENT:
            person.grid_id = grid_id
            session.add(person)
        return person
    person_id = sender_id if family is None else f"{family}:{sender_id}"
    person = Person(id=person_id, name=name or sender_id, role=Role.RESIDENT, grid_id=grid_id,
                    dm_channel=dm_channel, dm_chat_id=sender_id if dm_channel else None)
    session.add(person)
    session.flush()
    if family is not None:
        session.add(Account(family=family, external_id=sender_id, person_id=person_id))
        session.flush()
    return person


def account_id(session: Session, *, person: Person, family: str | None) -> str | None:
    """The id to mention or message this person by in an account family; None where they have none."""
    if family is None:
        return person.id
    stmt = select(Account.external_id).where(Account.person_id == person.id, Account.family == family)
    return session.exec(stmt).first()


def accounts_of(session: Session, *, person_id: str) -> dict[str, str]:
    rows = session.exec(select(Account).where(Account.person_id == person_id)).all()
    return {row.family: row.external_id for row in rows}


def set_accounts(session: Session, *, person_id: str, accounts: dict[str, str]) -> list[str]:
    """Make a person's accounts exactly ``accounts``; returns the families that changed."""
    current = {row.family: row for row in session.exec(select(Account).where(Account.person_id == person_id))}
    changed = []
    for family, row in current.items():
        if accounts.get(family) != row.external_id:
            session.delete(row)
            changed.append(family)
    session.flush()
    for family, external_id in accounts.items():
        if family not in current or current[family].external_id != external_id:
            taken = session.get(Account, (family, external_id))
            if taken is not None:  # the id moved from another person (e.g. a resident row made before config)
                session.delete(taken)
                session.flush()
            session.add(Account(family=family, external_id=external_id, person_id=person_id))
            changed.append(family)
    return sorted(set(changed))


def direct_address(person: Person) -> tuple[str, str]:
    """(channel, chat id) for a direct message to a person: their direct channel, else the sandbox."""
    if person.dm_channel and person.dm_chat_id:
        return person.dm_channel, person.dm_chat_id
    return "sandbox", person.id


def people_with_role(session: Session, *, role: str) -> Sequence[Person]:
    return session.exec(select(Person).where(Person.role == role).order_by(Person.id)).all()


def staff(session: Session, *, limit: int = 500) -> Sequence[Person]:
    """Everyone but residents, by id."""
    stmt = select(Person).where(Person.role != Role.RESIDENT).order_by(Person.id).limit(limit)
    return session.exec(stmt).all()


def station_police(session: Session) -> Sequence[Person]:
    """Officers of station-wide scope (the station's leaders and duty officers), by id."""
    stmt = select(Person).where(Person.role == "officer", Person.scope == "station")
    return session.exec(stmt.order_by(Person.id)).all()
