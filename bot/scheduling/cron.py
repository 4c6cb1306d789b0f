"""Crontab expressions → APScheduler 3.x ``CronTrigger``s, with crontab's weekday numbers.

APScheduler 3.x numbers weekdays from Monday = 0, while crontab uses Sunday = 0 (and 7). Our config
speaks crontab (``0 9 * * 1`` is Monday 09:00), so numeric weekdays are turned into names first.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterator

from apscheduler.triggers.cron import CronTrigger

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
ONE_MICROSECOND = timedelta(microseconds=1)


def crontab_trigger(expr: str, timezone: str) -> CronTrigger:
    """Parse a 5-field crontab line; raises ValueError with a readable reason."""
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"cron {expr!r} needs 5 fields (minute hour day month weekday), got {len(fields)}")
    fields[4] = _crontab_weekdays(fields[4])
    try:
        return CronTrigger.from_crontab(" ".join(fields), timezone=timezone)
    except ValueError as exc:
        raise ValueError(f"bad cron {expr!r}: {exc}") from None


def _crontab_weekdays(field: str) -> str:
    if not any(ch.isdigit() for ch in field):
        return field  # '*', 'mon-fri', 'sat,sun': the same in both worlds
    return ",".join(_weekday_part(part) for part in field.split(","))


def _weekday_part(part: str) -> str:
    base, _, step_text = part.partition("/")
    step = _number(step_text, part) if step_text else 1
    if step < 1:
        raise ValueError(f"bad weekday step in {part!r}")
    if base == "*":
        low, high = 0, 6
    elif "-" in base:
        low_text, _, high_text = base.partition("-")
        low, high = _weekday(low_text, part), _weekday(high_text, part)
        if high == 0 and low > 0:
            high = 7  # '5-0' is not valid crontab, but 'fri-sun' written as 5-7 is
    else:
        low = high = _weekday(base, part)
    if low > high:
        raise ValueError(f"bad weekday range {part!r}")
    days = sorted({day % 7 for day in range(low, high + 1, step)})
    return ",".join(DAY_NAMES[day] for day in days)


def _weekday(text: str, part: str) -> int:
    text = text.strip().lower()
    if text[:3] in DAY_NAMES and not text.isdigit():
        return DAY_NAMES.index(text[:3])
    value = _number(text, part)
    if not 0 <= value <= 7:
        raise ValueError(f"weekday {value} out of range 0-7 in {part!r}")
    return value


def _number(text: str, part: str) -> int:
    if not text.isdigit():
        raise ValueError(f"bad weekday {part!r}")
    return int(text)


def fires_between(trigger: CronTrigger, after: datetime, until: datetime, *, limit: int = 200) -> Iterator[datetime]:
    """Fire times t with after < t <= until, oldest first, at most ``limit`` of them."""
    when = trigger.get_next_fire_time(None, after + ONE_MICROSECOND)
    count = 0
    while when is not None and when <= until and count < limit:
        yield when
        count += 1
        when = trigger.get_next_fire_time(None, when + ONE_MICROSECOND)


def last_fire(trigger: CronTrigger, after: datetime, until: datetime) -> datetime | None:
    """The latest fire time t with after < t <= until, looking back in widening windows."""
    for window in (timedelta(hours=1), timedelta(days=2), timedelta(days=400)):
        start = max(after, until - window)
        fires = list(fires_between(trigger, start, until, limit=5000))
        if fires:
            return fires[-1]
        if start == after:
            return None
    return None


def next_fire(trigger: CronTrigger, after: datetime) -> datetime | None:
    """The first fire time strictly after ``after``."""
    return trigger.get_next_fire_time(None, after + ONE_MICROSECOND)
