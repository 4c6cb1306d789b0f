"""Who gets a case: the grid's officer, the mediator for a dispute subtype, the station's duty officer."""
from __future__ import annotations

from handlers.context import Context
from storage.models import Grid, Person


def grid_officer(ctx: Context, grid: Grid | None) -> Person | None:
    return ctx.person(grid.officer_id) if grid else duty_officer(ctx)


def duty_officer(ctx: Context) -> Person | None:
    return ctx.person(ctx.config.station.duty_officer)


def mediator_for(ctx: Context, subtype: str | None) -> Person | None:
    mediators = ctx.config.mediation.mediators
    return ctx.person(mediators.get(subtype or "other") or mediators.get("other"))
