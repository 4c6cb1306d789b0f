"""The home-visits ledger (走访台账) as rows with Chinese column names, for the export kind ``visits``: each visit
(household, date, who, topic, findings, follow-up), and each officer's grid days per week against the target.

The ledger needs the household, not the people in it: no names of residents, no phone numbers, the address
only down to the building and unit (the household number identifies the door), findings masked."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Iterator

from sqlmodel import Session

from handlers import texts
from handlers.privacy import mask_address, mask_personal
from storage import outreach, roster
from storage.models import Grid, Household, Person

VISIT_COLUMNS = ("序号", "走访日期", "网格", "户编号", "地址", "走访人", "走访事由", "反诈APP", "走访情况", "需跟进", "跟进事项")
GRID_DAY_COLUMNS = ("周次", "民警", "网格", "入户走访天数", "目标天数", "是否达标")


def visit_rows(session: Session, *, tz: Any, since: datetime | None = None, until: datetime | None = None,
               grid_id: str | None = None) -> Iterator[dict[str, str]]:
    """One row per visit, oldest first, keys as in ``VISIT_COLUMNS``."""
    names: dict[tuple[type, str], Any] = {}

    def get(model: type, key: str) -> Any:
        if (model, key) not in names:
            names[(model, key)] = session.get(model, key)
        return names[(model, key)]

    for n, visit in enumerate(outreach.visits_between(session, since=since, until=until, grid_id=grid_id), start=1):
        household, grid = get(Household, visit.household_id), get(Grid, visit.grid_id)
        visitor = get(Person, visit.visitor_id)
        app = {True: texts.LEDGER_YES, False: texts.LEDGER_NO, None: ""}[visit.app_installed]
        yield {
            "序号": str(n), "走访日期": visit.visited_at.astimezone(tz).strftime("%Y-%m-%d"),
            "网格": grid.name if grid else visit.grid_id, "户编号": visit.household_id,
            "地址": mask_address(household.address) if household else "",
            "走访人": visitor.name if visitor else visit.visitor_id,
            "走访事由": visit.topic, "反诈APP": app, "走访情况": mask_personal(visit.findings),
            "需跟进": texts.LEDGER_YES if visit.follow_up else texts.LEDGER_NO, "跟进事项": mask_personal(visit.follow_up),
        }


def grid_days(session: Session, *, tz: Any, since: datetime, until: datetime,
              grid_id: str | None = None) -> dict[str, set[date]]:
    """Who visited households on which local days."""
    days: dict[str, set[date]] = {}
    for visit in outreach.visits_between(session, since=since, until=until, grid_id=grid_id):
        days.setdefault(visit.visitor_id, set()).add(visit.visited_at.astimezone(tz).date())
    return days


def grid_day_rows(session: Session, *, tz: Any, since: datetime, until: datetime, target: int,
                  grid_id: str | None = None) -> Iterator[dict[str, str]]:
    """Each week (Monday to Sunday) × each grid's officer: the days they visited households, against ``target``."""
    grids = [session.get(Grid, grid_id)] if grid_id else list(roster.all_grids(session))
    officers = sorted({(g.officer_id, g.id, g.name) for g in grids if g is not None})
    days = grid_days(session, tz=tz, since=since, until=until, grid_id=grid_id)
    start = since.astimezone(tz).date()
    monday = start - timedelta(days=start.weekday())
    last = (until - timedelta(microseconds=1)).astimezone(tz).date()
    while monday <= last:
        sunday = monday + timedelta(days=6)
        for officer_id, _, grid_name in officers:
            officer = session.get(Person, officer_id)
            n = sum(1 for d in days.get(officer_id, ()) if monday <= d <= sunday)
            yield {"周次": f"{monday:%Y-%m-%d}至{sunday:%m-%d}", "民警": officer.name if officer else officer_id,
                   "网格": grid_name, "入户走访天数": str(n), "目标天数": str(target),
                   "是否达标": texts.LEDGER_MET if n >= target else texts.LEDGER_NOT_MET}
        monday += timedelta(days=7)
