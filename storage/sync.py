"""Bring the embedded community of config.toml (its station, community, mediators, grids, people and groups)
into the database, idempotently. Rosters imported from spreadsheets (storage/rosters.py) live beside it;
sync only touches the rows config owns."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from storage import duty, people
from storage.models import AuditEntry, ChatGroup, Community, Grid, GridMember, Mediator, Person, Role, Scope, Station


def sync_community(session: Session, *, config: Any, now: datetime, direct: dict[str, str]) -> list[str]:
    """Upsert grids, people (with their accounts) and configured groups. ``direct``: account family → the
    channel that sends direct messages to its ids. Returns a line per change (empty when nothing changed)."""
    changes: list[str] = []
    _prefetch(session, config)  # one query per table; the lookups below hit the session's identity map
    station, community = config.station, config.community
    _upsert(session, Station, station.id, {"name": station.name, "address": station.address, "hours": station.hours,
                                           "phone": station.phone, "duty_officer_id": station.duty_officer,
                                           "from_config": True}, changes)
    _upsert(session, Community, community.id, {"name": community.name, "station_id": station.id,
                                               "mediator_id": config.mediation.community or None,
                                               "from_config": True}, changes)
    session.flush()
    for grid in config.grids:
        _upsert(session, Grid, grid.id, {"name": grid.name, "officer_id": grid.officer, "community_id": community.id,
                                         "buildings": list(grid.buildings), "from_config": True}, changes)
    grid_of = _grid_of_people(config)
    for person in config.people:
        accounts = person.account_ids()
        dm_channel, dm_chat_id = _direct(accounts, direct)
        fields = {
            "name": person.name, "role": person.role, "title": person.title, "phone": person.phone,
            "grid_id": grid_of.get(person.id), "dm_channel": dm_channel, "dm_chat_id": dm_chat_id,
            "scope": _scope(config, person), "from_config": True, "vulnerable": person.vulnerable,
        }
        _upsert(session, Person, person.id, fields, changes)
        session.flush()
        changed = people.set_accounts(session, person_id=person.id, accounts=accounts)
        if changed:
            changes.append(f"accounts of {person.id}: {', '.join(changed)}")
    session.flush()
    _sync_mediators(session, config, changes)
    _sync_members(session, config, changes)
    for grid in config.grids:
        for ref in grid.groups:
            _sync_group(session, grid.id, ref, changes)
    _release_unlisted_groups(session, config, changes)
    _sync_duty(session, config, changes)
    if changes:
        session.add(AuditEntry(at=now, actor_id="config", action="sync", detail="; ".join(changes)[:4000]))
    return changes


def _sync_duty(session: Session, config: Any, changes: list[str]) -> None:
    """The ``[[duty]]`` rota replaces config's shifts when it changed (imported shifts stay)."""
    shifts = config.duty_shifts()
    if duty.configured(session) != [tuple(s[f] for f in duty.FIELDS) for s in shifts]:
        duty.replace(session, shifts=shifts, from_config=True)
        changes.append(f"duty rota: {len(shifts)} shifts")


def _prefetch(session: Session, config: Any) -> None:
    """Load the rows config owns (not an imported city's) in one query per table."""
    session.exec(select(Grid).where(Grid.id.in_([g.id for g in config.grids]))).all()
    session.exec(select(Person).where(Person.id.in_([p.id for p in config.people]))).all()
    chats = [ref.chat_id for g in config.grids for ref in g.groups]
    session.exec(select(ChatGroup).where(ChatGroup.chat_id.in_(chats))).all()


def _direct(accounts: dict[str, str], direct: dict[str, str]) -> tuple[str | None, str | None]:
    """The first account (in the order of ``direct``) on a channel that can send direct messages."""
    for family, channel in direct.items():
        if accounts.get(family):
            return channel, accounts[family]
    return None, None


def _scope(config: Any, person: Any) -> str:
    if person.scope is not None:
        return str(person.scope)
    station_wide = person.role == Role.ADMIN or person.id == config.station.duty_officer
    return Scope.STATION if station_wide else Scope.GRID


def _sync_mediators(session: Session, config: Any, changes: list[str]) -> None:
    community_id = config.community.id
    current = {m.subtype: m for m in session.exec(select(Mediator).where(Mediator.community_id == community_id))}
    for subtype, person_id in config.mediation.mediators.items():
        row = current.get(subtype)
        if row is None:
            session.add(Mediator(community_id=community_id, subtype=subtype, person_id=person_id))
            changes.append(f"add mediator {subtype}: {person_id}")
        elif row.person_id != person_id:
            row.person_id = person_id
            session.add(row)
            changes.append(f"update mediator {subtype}: {person_id}")
    for subtype, row in current.items():
        if subtype not in config.mediation.mediators:
            session.delete(row)
            changes.append(f"remove mediator {subtype}")


def _sync_members(session: Session, config: Any, changes: list[str]) -> None:
    """Each config grid's officer and workers, exactly as in config."""
    grid_ids = [g.id for g in config.grids]
    wanted = {(g.id, pid): duty for g in config.grids
              for pid, duty in [(g.officer, "officer"), *((w, "worker") for w in g.workers)]}
    current = {(m.grid_id, m.person_id): m
               for m in session.exec(select(GridMember).where(GridMember.grid_id.in_(grid_ids)))}
    for key, row in current.items():
        if key not in wanted:
            session.delete(row)
            changes.append(f"remove member {key[1]} from {key[0]}")
    for key, duty in wanted.items():
        row = current.get(key)
        if row is None:
            session.add(GridMember(grid_id=key[0], person_id=key[1], duty=duty))
            changes.append(f"add member {key[1]} to {key[0]}")
        elif row.duty != duty:
            row.duty = duty
            session.add(row)
    session.flush()


def _grid_of_people(config: Any) -> dict[str, str]:
    grid_of: dict[str, str] = {}
    for grid in config.grids:
        for person_id in [grid.officer, *grid.workers]:
            grid_of.setdefault(person_id, grid.id)
    return grid_of


def _upsert(session: Session, model: type, key: str, fields: dict[str, Any], changes: list[str]) -> None:
    row = session.get(model, key)
    if row is None:
        session.add(model(id=key, **fields))
        changes.append(f"add {model.__name__.lower()} {key}")
        return
    changed = [name for name, value in fields.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, fields[name])
    if changed:
        changes.append(f"update {model.__name__.lower()} {key}: {', '.join(changed)}")


def _release_unlisted_groups(session: Session, config: Any, changes: list[str]) -> None:
    """A group taken out of config.toml stays (bound as it was), now the roster's to change: ``gridbot import
    groups`` may update it."""
    listed = {(ref.channel, ref.chat_id) for grid in config.grids for ref in grid.groups}
    for row in session.exec(select(ChatGroup).where(ChatGroup.from_config.is_(True))).all():
        if (row.channel, row.chat_id) not in listed:
            row.from_config = False
            session.add(row)
            changes.append(f"group {row.channel}:{row.chat_id} no longer in config")


def _sync_group(session: Session, grid_id: str, ref: Any, changes: list[str]) -> None:
    row = session.exec(
        select(ChatGroup).where(ChatGroup.channel == ref.channel, ChatGroup.chat_id == ref.chat_id)
    ).first()
    fields = {"grid_id": grid_id, "name": ref.name, "webhook_key": ref.webhook_key, "tags": list(ref.tags),
              "from_config": True}
    if row is None:
        session.add(ChatGroup(channel=ref.channel, chat_id=ref.chat_id, **fields))
        changes.append(f"add group {ref.channel}:{ref.chat_id}")
        return
    changed = [name for name, value in fields.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, fields[name])
    if changed:
        changes.append(f"update group {ref.channel}:{ref.chat_id}: {', '.join(changed)}")
