"""Bulk upserts of imported rosters (people, stations, communities, grids with their members and groups).
Keyword-only, session first, never commit. Each function returns {"added": n, "updated": m}."""
from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy import delete, insert, update
from sqlmodel import Session, select

from storage.models import Account, ChatGroup, Community, Grid, GridMember, Mediator, Person, Role, Station

_TABLES = {"station": Station, "community": Community, "grid": Grid, "person": Person}


def exists(session: Session, table: str, key: str) -> bool:
    return session.get(_TABLES[table], key) is not None


def existing_ids(session: Session, table: str) -> set[str]:
    return set(session.exec(select(_TABLES[table].id)).all())


def roles(session: Session) -> dict[str, Role]:
    return {pid: Role(role) for pid, role in session.exec(select(Person.id, Person.role)).all()}


def configured_groups(session: Session) -> set[tuple[str, str]]:
    """(channel, chat id) of the groups config.toml lists."""
    return {(c, chat) for c, chat in session.exec(select(ChatGroup.channel, ChatGroup.chat_id)
                                                  .where(ChatGroup.from_config.is_(True))).all()}


def person_role(session: Session, *, person_id: str) -> Role | None:
    person = session.get(Person, person_id)
    return Role(person.role) if person else None


def _upsert(session: Session, model: type, rows: Sequence[dict[str, Any]], key: str = "id") -> dict[str, int]:
    have = set(session.exec(select(getattr(model, key))).all())
    new = [r for r in rows if r[key] not in have]
    old = [r for r in rows if r[key] in have]
    if new:
        session.execute(insert(model), new)
    if old:
        session.execute(update(model), old)
    return {"added": len(new), "updated": len(old)}


def upsert_people(session: Session, *, rows: Sequence[dict[str, Any]], direct: dict[str, str]) -> dict[str, int]:
    """People with their accounts; ``direct``: account family → the channel that sends its direct messages."""
    records, accounts = [], []
    for r in rows:
        ids = {"wecom": r["wecom_user_id"], "mp": r["mp_openid"], "bridge": r["bridge_id"]}
        dm = next(((channel, ids[family]) for family, channel in direct.items() if ids.get(family)), (None, None))
        records.append({"id": r["id"], "name": r["name"], "role": str(r["role"]), "title": r["title"],
                        "phone": r["phone"], "scope": str(r["scope"]), "dm_channel": dm[0], "dm_chat_id": dm[1],
                        "from_config": False})
        accounts += [{"family": f, "external_id": v, "person_id": r["id"]} for f, v in ids.items() if v]
    counts = _upsert(session, Person, records)
    person_ids = [r["id"] for r in rows]
    for chunk in _chunks(person_ids):
        session.execute(delete(Account).where(Account.person_id.in_(chunk)))
    for chunk in _chunks([(a["family"], a["external_id"]) for a in accounts]):
        session.execute(delete(Account).where(Account.family.in_([f for f, _ in chunk]),
                                              Account.external_id.in_([e for _, e in chunk])))
    if accounts:
        session.execute(insert(Account), accounts)
    return counts


def upsert_stations(session: Session, *, rows: Sequence[dict[str, Any]], **_: Any) -> dict[str, int]:
    return _upsert(session, Station, [{"id": r["id"], "name": r["name"], "address": r["address"], "hours": r["hours"],
                                       "phone": r["phone"], "duty_officer_id": r["duty_officer"] or None,
                                       "from_config": False} for r in rows])


def upsert_communities(session: Session, *, rows: Sequence[dict[str, Any]], **_: Any) -> dict[str, int]:
    """Communities; each row's ``mediators`` ({subtype: person id}) replaces that community's mediators."""
    counts = _upsert(session, Community, [{"id": r["id"], "name": r["name"], "station_id": r["station"],
                                           "mediator_id": r["mediator"] or None, "from_config": False} for r in rows])
    for r in rows:
        session.execute(delete(Mediator).where(Mediator.community_id == r["id"]))
    mediators = [{"community_id": r["id"], "subtype": s, "person_id": p}
                 for r in rows for s, p in r["mediators"].items() if p]
    if mediators:
        session.execute(insert(Mediator), mediators)
    return counts


def upsert_grids(session: Session, *, rows: Sequence[dict[str, Any]], **_: Any) -> dict[str, int]:
    counts = _upsert(session, Grid, [{"id": r["id"], "name": r["name"], "officer_id": r["officer"],
                                      "community_id": r["community"], "buildings": list(r["buildings"] or []),
                                      "from_config": False} for r in rows])
    grid_ids = [r["id"] for r in rows]
    for chunk in _chunks(grid_ids):
        session.execute(delete(GridMember).where(GridMember.grid_id.in_(chunk)))
    members = {(r["id"], r["officer"]): "officer" for r in rows}
    for r in rows:
        for worker in r["workers"] or []:
            members.setdefault((r["id"], worker), "worker")
    if members:
        session.execute(insert(GridMember), [{"grid_id": g, "person_id": p, "duty": d} for (g, p), d in members.items()])
    _bind_groups(session, [(r["id"], channel, chat) for r in rows for channel, chat in r["groups"] or []])
    return counts


def upsert_groups(session: Session, *, rows: Sequence[dict[str, Any]], **_: Any) -> dict[str, int]:
    """Group chats by (channel, chat id): the grid each serves, its name, its group robot's webhook key, its
    broadcast tags. A blank name, key or tags keeps what is on record; ``CLEAR`` (the cell 无) empties it."""
    have = {(g.channel, g.chat_id): g for g in session.exec(select(ChatGroup))}
    new, old = [], []
    for r in rows:
        known = have.get((r["channel"], r["chat_id"]))
        values = {"grid_id": r["grid"], **{column: _kept(r[column], getattr(known, column, None), empty)
                                           for column, empty in (("name", ""), ("webhook_key", ""), ("tags", []))}}
        if known is None:
            new.append({"channel": r["channel"], "chat_id": r["chat_id"], "from_config": False, **values})
        else:
            old.append({"id": known.id, **values})
    if new:
        session.execute(insert(ChatGroup), new)
    if old:
        session.execute(update(ChatGroup), old)
    return {"added": len(new), "updated": len(old)}


CLEAR = None  # an imported cell that empties the value on record (无)


def _kept(value: Any, on_record: Any, empty: Any) -> Any:
    if value is CLEAR:
        return empty
    if value:
        return list(value) if isinstance(value, (list, tuple)) else value
    return on_record if on_record is not None else empty


def _bind_groups(session: Session, wanted: list[tuple[str, str, str]]) -> None:
    if not wanted:
        return
    have = {(g.channel, g.chat_id): g.id for g in session.exec(select(ChatGroup))}
    new = [{"channel": c, "chat_id": chat, "grid_id": g, "name": "", "webhook_key": "", "from_config": False}
           for g, c, chat in wanted if (c, chat) not in have]
    old = [{"id": have[(c, chat)], "grid_id": g} for g, c, chat in wanted if (c, chat) in have]
    if new:
        session.execute(insert(ChatGroup), new)
    if old:
        session.execute(update(ChatGroup), old)


def _chunks(items: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)]

