"""Queries of the roster: stations, communities, their mediators, grids. Keyword-only, session first,
never commit."""
from __future__ import annotations

from typing import Sequence

from sqlmodel import Session, select

from storage.models import Community, Grid, Mediator, Station


def community_of(session: Session, *, grid_id: str | None) -> Community | None:
    grid = session.get(Grid, grid_id) if grid_id else None
    return session.get(Community, grid.community_id) if grid and grid.community_id else None


def station_of(session: Session, *, grid_id: str | None, default_id: str) -> Station | None:
    """The station a grid belongs to (through its community); ``default_id`` when it has none."""
    community = community_of(session, grid_id=grid_id)
    return session.get(Station, community.station_id if community else default_id)


def mediator_id(session: Session, *, community_id: str | None, subtype: str) -> str | None:
    """The mediator of a dispute subtype in a community, else the community's mediator of 'other'."""
    if community_id is None:
        return None
    for key in (subtype, "other"):
        row = session.get(Mediator, (community_id, key))
        if row is not None:
            return row.person_id
    return None


def all_grids(session: Session, *, limit: int | None = None) -> Sequence[Grid]:
    stmt = select(Grid).order_by(Grid.id)
    return session.exec(stmt.limit(limit) if limit else stmt).all()


def grid_ids(session: Session, *, targets: Sequence[str]) -> list[str]:
    """The grid ids a schedule or broadcast targets (``["all"]``: every grid)."""
    if "all" in targets:
        return list(session.exec(select(Grid.id).order_by(Grid.id)).all())
    return [g for g in targets if session.get(Grid, g) is not None]
