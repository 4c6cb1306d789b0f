"""The rota's reading of hours and weekdays, and which shift covers a local moment."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.rota import covers, parse_hours, parse_weekdays
from storage.models import DutyShift


def shift(hours: str, weekdays: str = "1234567", on: date | None = None) -> DutyShift:
    start, end = parse_hours(hours)
    return DutyShift(person_id="officer-1", weekdays=weekdays, on_date=on, start_minute=start, end_minute=end)


@pytest.mark.parametrize(("hours", "weekdays", "on", "at", "expected"), [
    ("08:00-18:00", "12345", None, datetime(2026, 11, 2, 8, 0), True),  # Monday
    ("08:00-18:00", "12345", None, datetime(2026, 11, 2, 18, 0), False),  # the end is not covered
    ("08:00-18:00", "12345", None, datetime(2026, 11, 7, 9, 0), False),  # Saturday
    ("22:00-08:00", "5", None, datetime(2026, 11, 7, 3, 0), True),  # Friday's night shift, Saturday 03:00
    ("22:00-08:00", "5", None, datetime(2026, 11, 6, 3, 0), False),  # Friday 03:00 belongs to Thursday's night
    ("00:00-24:00", "1234567", None, datetime(2026, 11, 2, 23, 59), True),
    ("00:00-24:00", "", date(2026, 11, 3), datetime(2026, 11, 3, 12, 0), True),
    ("00:00-24:00", "", date(2026, 11, 3), datetime(2026, 11, 4, 0, 0), False),
])
def test_which_moments_a_shift_covers(hours, weekdays, on, at, expected):
    assert covers(shift(hours, weekdays, on), at) is expected


@pytest.mark.parametrize(("text", "expected"), [("1-5", "12345"), ("一至五", "12345"), ("周六、周日", "67"),
                                                ("每天", "1234567"), ("", "1234567"), ("6-1", "167")])
def test_weekdays_as_officers_write_them(text, expected):
    assert parse_weekdays(text) == expected


@pytest.mark.parametrize("text", ["夜班", "25:00-08:00", "08:00", "八", "0-3"])
def test_unreadable_hours_or_weekdays_say_why_in_chinese(text):
    with pytest.raises(ValueError, match="应写成|超出"):
        parse_hours(text) if ":" in text or "班" in text else parse_weekdays(text)


minutes = st.integers(0, 24 * 60 - 1)


@given(start=minutes, end=minutes, moment=st.integers(0, 7 * 24 * 60 - 1))
def test_a_shift_and_its_complement_cover_every_moment_exactly_once(start, end, moment):
    if start == end:
        return
    hhmm = lambda m: f"{m // 60:02d}:{m % 60:02d}"  # noqa: E731
    at = datetime(2026, 11, 2) + timedelta(minutes=moment)
    day, night = shift(f"{hhmm(start)}-{hhmm(end)}"), shift(f"{hhmm(end)}-{hhmm(start)}")
    assert covers(day, at) != covers(night, at)
