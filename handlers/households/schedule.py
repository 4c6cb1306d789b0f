"""Check-in schedules as the household sheet writes them (每天, 周一、周三、周五, 工作日, 不探访), and when the next
one falls. Pure functions: the caller gives the time and the zone."""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from handlers import texts

DAILY = "daily"
NONE_WORDS = ("不探访", "无", "否", "不需要", "none", "-")
DAILY_WORDS = ("每天", "每日", "天天", "daily", "1-7")
GROUPS = {"工作日": "1,2,3,4,5", "周末": "6,7"}
DAY_NUMBERS = {name: n for n, name in enumerate(texts.WEEKDAY_NAMES, start=1)} | {"天": 7}
_DAY = re.compile(r"(?:周|星期|礼拜)?([一二三四五六日天1-7])")


def parse_days(text: str) -> str:
    """'每天' → 'daily'; '周一、周三、周五' / '1,3,5' → '1,3,5'; '不探访' → ''. ValueError with a Chinese reason."""
    text = text.strip()
    if text.lower() in NONE_WORDS:
        return ""
    if text.lower() in DAILY_WORDS:
        return DAILY
    if text in GROUPS:
        return GROUPS[text]
    days: set[int] = set()
    for part in re.split(r"[、，,;；/ ]+", text):
        if not part:
            continue
        found = _DAY.fullmatch(part)
        if not found:
            raise ValueError(f"探访日“{part[:10]}”看不懂，可写：每天、工作日、周一、周三、周五 或 1,3,5")
        value = found.group(1)
        days.add(int(value) if value.isdigit() else DAY_NUMBERS[value])
    if len(days) == 7:
        return DAILY
    return ",".join(str(d) for d in sorted(days))


def parse_time(text: str) -> str:
    """'9:00' / '09：30' → '09:00' / '09:30'."""
    found = re.fullmatch(r"([01]?\d|2[0-3])[:：点]([0-5]\d)?", text.strip())
    if not found:
        raise ValueError(f"探访时间“{text[:10]}”应写成 09:00")
    return f"{int(found.group(1)):02d}:{found.group(2) or '00'}"


def describe(days: str) -> str:
    """'daily' → 每天; '1,3,5' → 每周一、三、五."""
    if days == DAILY:
        return texts.CHECKIN_DAILY
    names = "、".join(texts.WEEKDAY_NAMES[int(d) - 1] for d in days.split(",") if d)
    return texts.CHECKIN_WEEKLY.format(days=names)


def _weekdays(days: str) -> set[int]:
    return set(range(1, 8)) if days == DAILY else {int(d) for d in days.split(",") if d}


def next_due(days: str, at: str, *, after: datetime, tz: ZoneInfo, inclusive: bool = False) -> datetime | None:
    """The next check-in time (aware UTC) after ``after`` (or at it, when ``inclusive``); None without days."""
    weekdays = _weekdays(days) if days else set()
    if not weekdays:
        return None
    hour, minute = (int(part) for part in at.split(":"))
    local = after.astimezone(tz)
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        if day.isoweekday() not in weekdays:
            continue
        due = datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(timezone.utc)
        if due > after or (inclusive and due == after):
            return due
    return None
