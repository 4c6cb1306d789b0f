"""Who gets a case: the grid's officer, the mediator for a dispute subtype in the grid's community, the duty
officer of the grid's station; for a call for help, the rota's officer on duty. The roster is read from the database (config or imported)."""
from __future__ import annotations

from sqlmodel import Session

from handlers import rota
from handlers.context import Context
from storage import roster
from storage.models import Grid, Person, Station


def grid_officer(ctx: Context, grid: Grid | None) -> Person | None:
    return ctx.person(grid.officer_id) if grid else duty_officer(ctx)


def covering_officer(ctx: Context, grid: Grid | None) -> Person | None:
    """Who answers a grid's call for help now: the rota's officer on duty, else the grid's officer."""
    on_duty = rota.on_duty(ctx.session, grid_id=grid.id if grid else None, now=ctx.now, tz=ctx.config.tz)
    return on_duty or grid_officer(ctx, grid)


def station_for(session: Session, *, grid_id: str | None, config: object) -> Station | None:
    """The grid's station; for a grid-less chat, the station of config.toml."""
    return roster.station_of(session, grid_id=grid_id, default_id=config.station.id)


def duty_officer(ctx: Context, grid_id: str | None = None) -> Person | None:
    station = station_for(ctx.session, grid_id=grid_id or (ctx.grid.id if ctx.grid else None), config=ctx.config)
    return ctx.person(station.duty_officer_id if station else None)


def mediator_for(ctx: Context, subtype: str | None) -> Person | None:
    grid = ctx.grid
    community = roster.community_of(ctx.session, grid_id=grid.id if grid else None)
    community_id = community.id if community else ctx.config.community.id
    return ctx.person(roster.mediator_id(ctx.session, community_id=community_id, subtype=subtype or "other"))
