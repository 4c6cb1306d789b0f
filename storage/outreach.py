"""Queries of HomeVisit (the 走访台账) and Dissuasion (预警劝阻 tasks). Keyword-only, session first, never commit."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy import distinct, func
from sqlmodel import Session, select

from storage.models import Community, Dissuasion, Grid, HomeVisit, Household


def add_visit(session: Session, **fields: object) -> HomeVisit:
    visit = HomeVisit(**fields)
    session.add(visit)
    session.flush()
    return visit


def visited_counts(session: Session, *, grid_ids: Sequence[str] | None = None) -> dict[str, tuple[int, int]]:
    """Per grid: (households with an anti-fraud visit, households whose app is installed)."""
    visited = (select(HomeVisit.grid_id, func.count(distinct(HomeVisit.household_id)))
               .where(HomeVisit.anti_fraud).group_by(HomeVisit.grid_id))
    installed = (select(HomeVisit.grid_id, func.count(distinct(HomeVisit.household_id)))
                 .where(HomeVisit.app_installed.is_(True)).group_by(HomeVisit.grid_id))
    if grid_ids is not None:
        visited = visited.where(HomeVisit.grid_id.in_(grid_ids))
        installed = installed.where(HomeVisit.grid_id.in_(grid_ids))
    seen, apps = dict(session.exec(visited).all()), dict(session.exec(installed).all())
    return {grid: (seen.get(grid, 0), apps.get(grid, 0)) for grid in set(seen) | set(apps)}


def visited_households(session: Session, *, grid_ids: Sequence[str]) -> set[str]:
    """The households of these grids with an anti-fraud visit (what ``visited_counts`` counts)."""
    stmt = select(HomeVisit.household_id).where(HomeVisit.anti_fraud, HomeVisit.grid_id.in_(grid_ids)).distinct()
    return set(session.exec(stmt).all())


def households_not_visited(session: Session, *, grid_ids: Sequence[str] | None,
                           limit: int = 200) -> Sequence[Household]:
    """Households of these grids (None: all) without an anti-fraud visit yet, in household order."""
    visited = select(HomeVisit.household_id).where(HomeVisit.anti_fraud)
    stmt = select(Household).where(Household.id.not_in(visited))
    if grid_ids is not None:
        stmt = stmt.where(Household.grid_id.in_(grid_ids))
    return session.exec(stmt.order_by(Household.grid_id, Household.id).limit(limit)).all()


def visits_between(session: Session, *, since: datetime | None, until: datetime | None,
                   grid_id: str | None = None) -> Sequence[HomeVisit]:
    stmt = select(HomeVisit)
    if since is not None:
        stmt = stmt.where(HomeVisit.visited_at >= since)
    if until is not None:
        stmt = stmt.where(HomeVisit.visited_at < until)
    if grid_id is not None:
        stmt = stmt.where(HomeVisit.grid_id == grid_id)
    return session.exec(stmt.order_by(HomeVisit.visited_at, HomeVisit.id)).all()


# --- dissuasion tasks ---


def dissuasion_by_ref(session: Session, *, source: str, source_ref: str) -> Dissuasion | None:
    return session.exec(select(Dissuasion).where(Dissuasion.source == source,
                                                 Dissuasion.source_ref == source_ref)).first()


def get_dissuasion(session: Session, *, task_id: int, for_update: bool = False) -> Dissuasion | None:
    stmt = select(Dissuasion).where(Dissuasion.id == task_id)
    return session.exec(stmt.with_for_update() if for_update else stmt).first()


def dissuasions_late(session: Session, *, now: datetime, limit: int = 500) -> Sequence[Dissuasion]:
    return session.exec(select(Dissuasion).where(Dissuasion.state == "open", Dissuasion.next_check_at <= now)
                        .order_by(Dissuasion.next_check_at, Dissuasion.id).limit(limit)
                        .with_for_update(skip_locked=True)).all()


def dissuasions_of(session: Session, *, grid_ids: Sequence[str] | None = None, since: datetime | None = None,
                   open_only: bool = False) -> Sequence[Dissuasion]:
    """Tasks of these grids (None: all, unmatched ones too) created since ``since``, or still open."""
    stmt = select(Dissuasion)
    if grid_ids is not None:
        stmt = stmt.where(Dissuasion.grid_id.in_(grid_ids))
    if open_only:
        stmt = stmt.where(Dissuasion.state == "open")
    elif since is not None:
        stmt = stmt.where((Dissuasion.created_at >= since) | (Dissuasion.state == "open"))
    return session.exec(stmt.order_by(Dissuasion.id)).all()


def grid_stations(session: Session, *, grid_ids: Sequence[str] | None = None) -> dict[str, tuple[str, str | None]]:
    """grid id → (grid name, its station's id through its community; None for a grid outside any community)."""
    stmt = select(Grid.id, Grid.name, Community.station_id).join(Community, Community.id == Grid.community_id,
                                                                isouter=True)
    if grid_ids is not None:
        stmt = stmt.where(Grid.id.in_(grid_ids))
    return {grid: (name, station) for grid, name, station in session.exec(stmt.order_by(Grid.id)).all()}


def count_not_visited(session: Session, *, grid_ids: Sequence[str] | None) -> int:
    visited = select(HomeVisit.household_id).where(HomeVisit.anti_fraud)
    stmt = select(func.count()).select_from(Household).where(Household.id.not_in(visited))
    if grid_ids is not None:
        stmt = stmt.where(Household.grid_id.in_(grid_ids))
    return session.exec(stmt).one()
