"""What the console's household pages show: the roster of the reader's grids and the outreach coverage.

Only the grid's staff and station-wide staff get anything (``None`` for everyone else); names and addresses are
whole for the police and masked for the others (handlers.privacy); a roster list that names vulnerable residents
is audited like a record. Coverage is ``outreach.coverage()``, the figures /stats and the digest show."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Sequence

from sqlmodel import Session

from handlers import texts
from handlers.households.access import STAFF_ROLES, visible_grids
from handlers.households.outreach import Coverage, coverage
from handlers.privacy import address_for_reader, name_for_reader
from storage import households, outreach, roster
from storage.models import AuditEntry, Grid, Person

MAX_UNVISITED = 200


@dataclass(frozen=True)
class HouseholdLine:
    id: str
    address: str
    members: str
    flags: str
    visited: bool


@dataclass
class GridRoster:
    grid: Grid
    households: list[HouseholdLine] = field(default_factory=list)


def reader_grids(session: Session, reader: Person, grid_id: str | None) -> list[Grid] | None:
    """The grids a page covers: the reader's (or the one asked for, if it is theirs); None: not staff."""
    if reader.role not in STAFF_ROLES:
        return None
    allowed = visible_grids(session, reader)
    grids = [g for g in roster.all_grids(session) if allowed is None or g.id in allowed]
    return [g for g in grids if g.id == grid_id] if grid_id else grids


def roster_of(session: Session, *, reader: Person, grid_id: str | None, now: datetime) -> list[GridRoster] | None:
    grids = reader_grids(session, reader, grid_id)
    if grids is None:
        return None
    visited = outreach.visited_households(session, grid_ids=[g.id for g in grids])
    pages, vulnerable = [], False
    for grid in grids:
        page = GridRoster(grid)
        for home in households.households_of_grids(session, grid_ids=[grid.id]):
            members = households.residents_of(session, household_id=home.id)
            flags = {f for r in members for f in r.flags}
            vulnerable = vulnerable or bool(flags)
            page.households.append(HouseholdLine(
                id=home.id, address=address_for_reader(home.address, reader),
                members="、".join(name_for_reader(r.name, reader) for r in members),
                flags="、".join(name for code, name in texts.FLAG_NAMES.items() if code in flags),
                visited=home.id in visited))
        pages.append(page)
    shown = [g.grid.id for g in pages if g.households]
    if shown:
        session.add(AuditEntry(at=now, actor_id=reader.id, action="read_roster",
                               detail=f"console {','.join(shown)}" + (" vulnerable" if vulnerable else "")))
    return pages


@dataclass(frozen=True)
class CoverageView:
    per_grid: list[tuple[Grid, Coverage]]
    total: Coverage
    unvisited: Sequence[HouseholdLine]
    unvisited_total: int


def coverage_of(session: Session, *, reader: Person, grid_id: str | None) -> CoverageView | None:
    """Households visited and with the app, per grid and in all (``outreach.coverage``), and those not visited yet."""
    grids = reader_grids(session, reader, grid_id)
    if grids is None:
        return None
    ids = [g.id for g in grids]
    figures = coverage(session, grid_ids=ids) if ids else {}
    per_grid = [(g, figures.get(g.id, Coverage())) for g in grids]
    left = outreach.households_not_visited(session, grid_ids=ids, limit=MAX_UNVISITED) if ids else []
    lines = []
    for home in left:
        flags = {f for r in households.residents_of(session, household_id=home.id) for f in r.flags}
        lines.append(HouseholdLine(id=home.id, address=address_for_reader(home.address, reader), members="",
                                   flags="、".join(n for code, n in texts.FLAG_NAMES.items() if code in flags),
                                   visited=False))
    return CoverageView(per_grid=per_grid, total=sum((c for _, c in per_grid), Coverage()), unvisited=lines,
                        unvisited_total=outreach.count_not_visited(session, grid_ids=ids) if ids else 0)
