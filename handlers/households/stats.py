"""The household lines of /stats: anti-fraud outreach coverage per station and grid, dissuasion outcomes and the
success rate, and the week's check-ins. Nothing when the community keeps no household roster and no tasks."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any, Sequence

from sqlmodel import Session

from handlers import texts
from handlers.households.dissuasion import stats_line
from handlers.households.outreach import coverage_lines
from storage import households, outreach
from storage.models import CheckIn


def household_stats(session: Session, *, config: Any, now: datetime, grid_id: str | None) -> list[str]:
    grid_ids = [grid_id] if grid_id else None
    if not households.any_households(session) and not outreach.dissuasions_of(session, grid_ids=None):
        return []
    week = households.checkins_between(session, since=now - timedelta(days=7), until=now, grid_ids=grid_ids)
    return [*coverage_lines(session, config=config, grid_ids=grid_ids), stats_line(session, grid_ids=grid_ids),
            checkin_line([c for c, _, _ in week])]


def checkin_line(checkins: Sequence[CheckIn]) -> str:
    """How many were asked, answered ok or with a call for help, and how many went to the caretaker and officer."""
    states = Counter(c.state for c in checkins)
    return texts.STATS_CHECKINS.format(
        asked=sum(1 for c in checkins if c.asked_at is not None), ok=states["ok"], help=states["help"],
        caretaker=sum(1 for c in checkins if c.caretaker_at is not None),
        officer=sum(1 for c in checkins if c.officer_at is not None))
