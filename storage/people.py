"""Queries of Person: resolve channel identities to people, and where to reach them."""
from __future__ import annotations

from typing import Sequence

from sqlmodel import Session, select

from storage.models import Person

# Which Person column holds a person's id on each channel ("sandbox" uses Person.id itself).
IDENTITY_COLUMN = {"wecom": "wecom_user_id", "aibot": "wecom_user_id", "mp": "mp_openid", "bridge": "bridge_id"}


def find_person(session: Session, *, channel: str, sender_id: str) -> Person | None:
    column = IDENTITY_COLUMN.get(channel)
    if column is None:
        return session.get(Person, sender_id)
    return session.exec(select(Person).where(getattr(Person, column) == sender_id)).first()


def resident_for(session: Session, *, channel: str, sender_id: str, name: str | None, grid_id: str | None) -> Person:
    """The person behind a sender id; an unknown sender becomes a resident of the grid they wrote in."""
    person = find_person(session, channel=channel, sender_id=sender_id)
    if person is not None:
        if person.grid_id is None and grid_id is not None and person.role == "resident":
            person.grid_id = grid_id
            session.add(person)
        return person
    column = IDENTITY_COLUMN.get(channel)
    person_id = sender_id if column is None else f"{channel}:{sender_id}"
    person = Person(id=person_id, name=name or sender_id, role="resident", grid_id=grid_id)
    if column is not None:
        setattr(person, column, sender_id)
    session.add(person)
    session.flush()
    return person


def channel_id_of(person: Person, channel: str) -> str | None:
    """The id to mention or message this person by on a channel; None where they have none."""
    column = IDENTITY_COLUMN.get(channel)
    return person.id if column is None else getattr(person, column)


def direct_address(person: Person) -> tuple[str, str]:
    """(channel, chat id) for a direct message to a person: their first real channel, else the sandbox."""
    for channel in ("wecom", "mp", "bridge"):
        value = channel_id_of(person, channel)
        if value:
            return channel, value
    return "sandbox", person.id


def people_with_role(session: Session, *, role: str) -> Sequence[Person]:
    return session.exec(select(Person).where(Person.role == role).order_by(Person.id)).all()
