"""The duty rota (排班): who covers a grid at a given local hour. A shift names a grid (or every grid), a person,
local hours (``22:00-08:00`` runs past midnight; ``00:00-24:00`` is the whole day) and either weekdays or one date;
a dated shift wins over weekly ones, otherwise the first shift given wins. Without a shift, nobody is on duty and
the grid's officer is the one paged, as before."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from sqlmodel import Session

from storage import duty
from storage.models import DutyShift, Person, Role

HOURS = re.compile(r"^\s*([01]?\d|2[0-4])[:：]([0-5]\d)\s*[-~－—至到]+\s*([01]?\d|2[0-4])[:：]([0-5]\d)\s*$")
WEEKDAY_NAMES = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
EVERY_DAY = ("", "每天", "每日", "全部", "all")


def parse_hours(text: str) -> tuple[int, int]:
    """'22:00-08:00' → (1320, 480), minutes after local midnight; ValueError with a Chinese reason."""
    match = HOURS.match(text)
    if not match:
        raise ValueError(f"时段“{text[:20]}”应写成 开始-结束，如 08:00-18:00 或 22:00-08:00")
    start, end = int(match[1]) * 60 + int(match[2]), int(match[3]) * 60 + int(match[4])
    if start >= 24 * 60 or end > 24 * 60:
        raise ValueError(f"时段“{text[:20]}”超出一天（最晚 24:00）")
    return start, end % (24 * 60) if start else end


def parse_weekdays(text: str) -> str:
    """'1-5' / '一至五' / '六、日' / '每天' → '12345' …; ValueError with a Chinese reason."""
    text = text.strip().replace("周", "").replace("星期", "")
    if text in EVERY_DAY:
        return "1234567"
    days: set[int] = set()
    for part in re.split(r"[,，、;；\s]+", text):
        ends = [WEEKDAY_NAMES.get(p, int(p) if p.isdigit() else 0) for p in re.split(r"[-~至到]", part) if p]
        if not ends or not all(1 <= d <= 7 for d in ends) or len(ends) > 2:
            raise ValueError(f"星期“{text[:20]}”应写成 1-5、一至五 或 六、日（1为周一，7为周日）")
        days.update(range(ends[0], ends[-1] + 1) if ends[0] <= ends[-1] else [*range(ends[0], 8), *range(1, ends[-1] + 1)])
    return "".join(str(d) for d in sorted(days))


def covers(shift: DutyShift, local: datetime) -> bool:
    """Whether a shift covers a local wall-clock moment (a shift past midnight belongs to the day it starts)."""
    minute = local.hour * 60 + local.minute
    start, end = shift.start_minute, shift.end_minute
    if start < end:
        return start <= minute < end and _on(shift, local.date())
    if minute >= start:
        return _on(shift, local.date())
    return minute < end and _on(shift, local.date() - timedelta(days=1))


def _on(shift: DutyShift, day: date) -> bool:
    return shift.on_date == day if shift.on_date else str(day.isoweekday()) in shift.weekdays


def on_duty(session: Session, *, grid_id: str | None, now: datetime, tz: ZoneInfo) -> Person | None:
    """The police officer the rota puts on duty for a grid at ``now``, or None (no rota, or nobody then)."""
    if grid_id is None:
        return None
    local = now.astimezone(tz)
    days = [local.date(), local.date() - timedelta(days=1)]
    for shift in duty.shifts_for(session, grid_id=grid_id, days=days):
        if covers(shift, local):
            person = session.get(Person, shift.person_id)
            if person is not None and person.role == Role.OFFICER:
                return person
    return None


def shift_rows(entries: Iterable[Any]) -> list[dict[str, Any]]:
    """Config ``[[duty]]`` entries → rows, one per grid (``all``: every grid)."""
    rows = []
    for entry in entries:
        start, end = parse_hours(entry.hours)
        weekdays = "".join(str(d) for d in sorted(set(entry.weekdays)))
        for grid in entry.grids:
            rows.append({"grid_id": None if grid == "all" else grid, "person_id": entry.person, "weekdays": weekdays,
                         "on_date": entry.date, "start_minute": start, "end_minute": end})
    return rows
