"""Face-to-face visits (走访入户, the anti-fraud “三千” outreach): recording one, and coverage per grid and per
station (households visited / households, app installed / households). Coverage counts are not personal data;
the household lists behind them are, and go to the grid's own staff only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

from sqlmodel import Session

from handlers import texts
from storage import households, outreach
from storage.models import HomeVisit, Household, Person, Station

MAX_GRID_LINES = 20


@dataclass(frozen=True)
class Visit:
    """What an officer typed after the household: ``/visit g1-0101 反诈宣传 已装APP 讲解了刷单诈骗 跟进：教会子女远程协助``."""

    topic: str
    app_installed: bool | None
    findings: str
    follow_up: str


def parse_visit(args: str) -> Visit | None:
    """The words after the household; None without a topic."""
    words = args.split()
    if not words:
        return None
    topic, rest = words[0], " ".join(words[1:])
    follow_up = ""
    for mark in texts.VISIT_FOLLOW_UP_MARKS:
        if mark in rest:
            rest, _, follow_up = rest.partition(mark)
            follow_up = follow_up.strip(" ：:") or mark
            break
    app = None
    kept = []
    for word in rest.split():
        if word in texts.VISIT_APP_YES or word.upper() in texts.VISIT_APP_YES:
            app = True
        elif word in texts.VISIT_APP_NO or word.upper() in texts.VISIT_APP_NO:
            app = False
        else:
            kept.append(word)
    return Visit(topic=topic, app_installed=app, findings=" ".join(kept), follow_up=follow_up)


def is_anti_fraud(topic: str, app_installed: bool | None) -> bool:
    return texts.ANTI_FRAUD_TOPIC in topic or app_installed is not None


def record_visit(session: Session, *, household: Household, visitor: Person, now: datetime, visit: Visit,
                 via: str = "command") -> HomeVisit:
    return outreach.add_visit(session, household_id=household.id, grid_id=household.grid_id, visited_at=now,
                              visitor_id=visitor.id, topic=visit.topic[:40],
                              anti_fraud=is_anti_fraud(visit.topic, visit.app_installed),
                              app_installed=visit.app_installed, findings=visit.findings[:1000],
                              follow_up=visit.follow_up[:500], via=via)


@dataclass(frozen=True)
class Coverage:
    total: int = 0
    visited: int = 0
    app: int = 0

    def __add__(self, other: "Coverage") -> "Coverage":
        return Coverage(self.total + other.total, self.visited + other.visited, self.app + other.app)


def coverage(session: Session, *, grid_ids: Sequence[str] | None = None) -> dict[str, Coverage]:
    """Per grid with households: households, households visited (anti-fraud), households with the app."""
    totals = households.household_counts(session, grid_ids=grid_ids)
    seen = outreach.visited_counts(session, grid_ids=grid_ids)
    return {grid: Coverage(total, *seen.get(grid, (0, 0))) for grid, total in totals.items()}


def line(scope: str, cov: Coverage) -> str:
    if not cov.total:
        return texts.COVERAGE_NONE.format(scope=scope)
    return texts.COVERAGE_LINE.format(scope=scope, visited=cov.visited, total=cov.total, app=cov.app,
                                      rate=rate(cov.visited, cov.total), app_rate=rate(cov.app, cov.total))


def coverage_lines(session: Session, *, config: Any, grid_ids: Sequence[str] | None = None) -> list[str]:
    """The coverage section of /stats and the digest: each station's total, then its grids (at most 20)."""
    per_grid = coverage(session, grid_ids=grid_ids)
    names = outreach.grid_stations(session, grid_ids=grid_ids)
    by_station: dict[str, list[str]] = {}
    for grid_id, (_, station_id) in names.items():
        if grid_id in per_grid:
            by_station.setdefault(station_id or config.station.id, []).append(grid_id)
    lines = [texts.COVERAGE_HEADER]
    shown = 0
    for station_id, grids in sorted(by_station.items()):
        station = session.get(Station, station_id)
        total = sum((per_grid[g] for g in grids), Coverage())
        if grid_ids is None or len(grids) > 1:
            lines.append(line(station.name if station else station_id, total))
        for grid_id in grids:
            if shown < MAX_GRID_LINES:
                lines.append(line(names[grid_id][0], per_grid[grid_id]))
            shown += 1
    if shown > MAX_GRID_LINES:
        lines.append(texts.COVERAGE_MORE.format(n=shown - MAX_GRID_LINES))
    if len(lines) == 1:
        lines.append(texts.COVERAGE_NONE.format(scope=texts.STATS_ALL))
    return lines


def rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else texts.STATS_NONE
