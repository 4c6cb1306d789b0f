"""The figures officers are measured by, for any grid set and period: cases per week by kind, resolution rate,
satisfaction from the follow-up surveys, time to first response and to resolution — overall, per kind and
per grid. A reopened case is one case: it counts once, by its latest state and latest resolution.
Used by /stats, the console's reports page and its charts."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Sequence

from sqlmodel import Session

from handlers import texts
from storage import figures as aggregates
from storage import reports
from storage.models import DONE_STATUSES

SYSTEM_ACTORS = ("gridbot", "scheduler", "config")
RESPONSE_ACTIONS = ("acknowledged", "taken", "replied", "note", "assigned", "transferred", "resolved", "closed",
                    "escalated", "marked_hard", "marked_wrong")
HAPPY = ("satisfied", "basic")
KINDS = ("dispute", "inquiry", "fraud", "help")


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC, and the local dates it covers (both inclusive) for the reader."""

    start: datetime
    end: datetime
    first_day: date
    last_day: date

    @property
    def label(self) -> str:
        return f"{self.first_day.isoformat()} 至 {self.last_day.isoformat()}"


def period_of_days(first: date, last: date, tz: Any) -> Period:
    start = datetime.combine(first, time(), tz)
    end = datetime.combine(last + timedelta(days=1), time(), tz)
    return Period(start, end, first, last)


def month_of(day: date, tz: Any) -> Period:
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return period_of_days(first, nxt - timedelta(days=1), tz)


_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.\.|~|至)(\d{4}-\d{2}-\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAYS = re.compile(r"^(\d{1,3})(?:d|天)$")


def parse_period(text: str, *, now: datetime, tz: Any) -> Period | None:
    """'本月' (default), '上月', '本周', '上周', '今年', '30天'/'30d', '2026-11', '2026-11-01..2026-11-30'; None if unknown."""
    text = (text or "本月").strip().lower()
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    named = {"本月": lambda: month_of(today, tz), "month": lambda: month_of(today, tz),
             "上月": lambda: month_of(today.replace(day=1) - timedelta(days=1), tz),
             "本周": lambda: period_of_days(monday, today, tz), "week": lambda: period_of_days(monday, today, tz),
             "上周": lambda: period_of_days(monday - timedelta(days=7), monday - timedelta(days=1), tz),
             "今年": lambda: period_of_days(today.replace(month=1, day=1), today, tz)}
    if text in named:
        return named[text]()
    try:
        if m := _DAYS.match(text):
            return period_of_days(today - timedelta(days=int(m.group(1)) - 1), today, tz)
        if m := _MONTH.match(text):
            return month_of(date(int(m.group(1)), int(m.group(2)), 1), tz)
        if m := _RANGE.match(text):
            first, last = date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
            return period_of_days(first, last, tz) if first <= last else None
        if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            day = date.fromisoformat(text)
            return period_of_days(day, day, tz)
    except ValueError:
        return None
    return None


@dataclass
class Tally:
    """One group of cases (a kind, a grid, everything)."""

    total: int = 0
    done: int = 0
    reopened: int = 0
    answered: int = 0
    happy: int = 0
    median_response_hours: float | None = None  # to the first response by a person
    median_resolution_hours: float | None = None  # to the (latest) resolution

    @property
    def resolution_rate(self) -> float | None:
        return self.done / self.total if self.total else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.happy / self.answered if self.answered else None


@dataclass
class Misreadings:
    """The cases the bot opened as one kind: how many officers closed as 误报, how many they moved to another kind."""

    opened: int = 0
    false_alarms: int = 0
    rerouted: int = 0

    @property
    def false_alarm_rate(self) -> float | None:
        return self.false_alarms / self.opened if self.opened else None


@dataclass
class Figures:
    period: Period
    overall: Tally
    by_kind: dict[str, Tally]
    by_grid: dict[str | None, Tally]
    weeks: list[str]  # the Mondays (local dates) of the weeks in the period
    per_week: dict[str, dict[str, int]]  # kind → {week monday: cases opened}
    statuses: dict[str, dict[str, int]]  # kind → {status: count}
    misread: dict[str, Misreadings] = field(default_factory=dict)  # the kind the bot opened a case as → …


def figures(session: Session, *, period: Period, tz: Any, grid_ids: Sequence[str] | None = None,
            scope: Any = None) -> Figures:
    """All figures of the cases opened in the period, in these grids (None: all) and this scope (a SQL clause).
    Each comes from an aggregate query (storage/figures.py): a few rows per kind and grid, however many cases."""
    where = reports.case_filter(since=period.start, until=period.end, grid_ids=grid_ids, scope=scope)
    weeks = _weeks(period)
    responses = aggregates.medians(session, dims=("kind", "grid_id"), spans=aggregates.response_spans(
        session, where=where, actions=RESPONSE_ACTIONS, exclude_actors=SYSTEM_ACTORS))
    resolutions = aggregates.medians(session, dims=("kind", "grid_id"),
                                     spans=aggregates.resolution_spans(session, where=where, done=DONE_STATUSES))
    counted = aggregates.counts(session, where=where, done=DONE_STATUSES, happy=HAPPY)

    def tallies(by: str | None) -> dict[Any, Tally]:
        summed: dict[Any, list[int]] = {}
        for (kind, grid), row in counted.items():
            key = {"kind": kind, "grid_id": grid}.get(by) if by else None
            summed[key] = [a + b for a, b in zip(summed.get(key, [0] * len(row)), row)]
        return {key: Tally(*row, responses[by].get(key), resolutions[by].get(key)) for key, row in summed.items()}

    per_week = {k: dict.fromkeys(weeks, 0) for k in KINDS}
    for kind, opened in aggregates.week_counts(session, where=where, weeks=_week_ends(weeks, tz)).items():
        per_week.setdefault(kind, dict.fromkeys(weeks, 0)).update(opened)
    return Figures(period, tallies(None).get(None, Tally()), tallies("kind"), tallies("grid_id"), weeks, per_week,
                   aggregates.status_counts(session, where=where), misreadings(session, where=where))


def misreadings(session: Session, *, where: Sequence[Any]) -> dict[str, Misreadings]:
    """Per kind the bot opened cases as (before any officer's correction): opened, closed as 误报, re-routed."""
    return {kind: Misreadings(*row)
            for kind, row in aggregates.misreadings(session, where=where, false_alarm=texts.FALSE_ALARM).items()}


def _week_ends(weeks: Sequence[str], tz: Any) -> list[tuple[str, datetime]]:
    """(Monday, the start of the following Monday in ``tz``) for each week."""
    return [(monday, datetime.combine(date.fromisoformat(monday) + timedelta(days=7), time(), tz)) for monday in weeks]


def _weeks(period: Period) -> list[str]:
    monday = period.first_day - timedelta(days=period.first_day.weekday())
    weeks = []
    while monday <= period.last_day:
        weeks.append(monday.isoformat())
        monday += timedelta(days=7)
    return weeks
