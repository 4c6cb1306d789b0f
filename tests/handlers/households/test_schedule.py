"""Check-in schedules as household sheets write them, and when the next one falls (Asia/Shanghai)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.households.schedule import describe, next_due, parse_days, parse_time

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("text, days, described", [
    ("每天", "daily", "每天"), ("每日", "daily", "每天"), ("周一、周三、周五", "1,3,5", "每周一、三、五"),
    ("1,3,5", "1,3,5", "每周一、三、五"), ("星期六 星期日", "6,7", "每周六、日"), ("工作日", "1,2,3,4,5", "每周一、二、三、四、五"),
    ("周末", "6,7", "每周六、日"), ("周一、二、三、四、五、六、日", "daily", "每天"), ("不探访", "", None), ("无", "", None),
])
def test_days_as_sheets_write_them(text, days, described):
    assert parse_days(text) == days
    if described:
        assert describe(days) == described


@pytest.mark.parametrize("text", ["周八", "每月", "monday", "1,9"])
def test_days_that_make_no_sense_are_refused(text):
    with pytest.raises(ValueError, match="看不懂"):
        parse_days(text)


@pytest.mark.parametrize("text, expected", [("9:00", "09:00"), ("09：30", "09:30"), ("8点", "08:00"), ("23:59", "23:59")])
def test_times(text, expected):
    assert parse_time(text) == expected


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(timezone.utc)


@pytest.mark.parametrize("days, at, after, inclusive, expected", [
    ("daily", "09:00", local(2026, 11, 2, 8, 0), False, local(2026, 11, 2, 9, 0)),
    ("daily", "09:00", local(2026, 11, 2, 9, 0), False, local(2026, 11, 3, 9, 0)),
    ("daily", "09:00", local(2026, 11, 2, 9, 0), True, local(2026, 11, 2, 9, 0)),
    ("1,3,5", "10:00", local(2026, 11, 2, 10, 1), False, local(2026, 11, 4, 10, 0)),  # Monday after → Wednesday
    ("5", "10:00", local(2026, 11, 7, 0, 0), False, local(2026, 11, 13, 10, 0)),  # Saturday → next Friday
    ("7", "23:30", local(2026, 11, 8, 23, 0), False, local(2026, 11, 8, 23, 30)),  # Sunday late, local date counts
    ("", "09:00", local(2026, 11, 2, 8, 0), False, None),
])
def test_next_due(days, at, after, inclusive, expected):
    assert next_due(days, at, after=after, tz=SHANGHAI, inclusive=inclusive) == expected


@given(st.sets(st.integers(1, 7), min_size=1), st.integers(0, 23), st.integers(0, 59),
       st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 1, 1)))
def test_the_next_check_in_is_later_on_a_chosen_day_at_the_set_local_time_within_a_week(days, hour, minute, after):
    after = after.replace(tzinfo=timezone.utc)
    due = next_due(",".join(map(str, sorted(days))), f"{hour:02d}:{minute:02d}", after=after, tz=SHANGHAI)
    local_due = due.astimezone(SHANGHAI)
    assert after < due <= after + timedelta(days=7)
    assert local_due.isoweekday() in days and (local_due.hour, local_due.minute) == (hour, minute)
