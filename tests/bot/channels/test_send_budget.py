"""A bridge account's send budget (per hour, per day) and its random pacing, on an injected clock and random source;
bad settings are refused. How the outbox holds bulk copies on it across processes: tests/bot/test_send_turns.py."""
from __future__ import annotations

import random
from datetime import timedelta

import pytest

from bot.channels import registry
from bot.channels.base import BudgetSpent, NotDelivered, Throttled
from bot.channels.kit.send_budget import SendBudget


class FixedRandom(random.Random):
    """A random source whose every draw is the given fraction of the range."""

    def __init__(self, fraction: float) -> None:
        super().__init__(0)
        self.fraction = fraction

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.fraction


def test_pacing_draws_each_gap_from_the_random_source(clock):
    budget = SendBudget(per_hour=100, per_day=1000, gap_seconds=(2, 10), clock=clock, rng=FixedRandom(0.25))
    budget.check()
    budget.spend()  # the next gap: 2 + 8 × 0.25 = 4 s
    with pytest.raises(Throttled) as held:
        budget.check()
    assert held.value.retry_after == 4.0 and not isinstance(held.value, BudgetSpent)
    clock.advance(seconds=3.9)
    with pytest.raises(Throttled):
        budget.check()
    clock.advance(seconds=0.1)
    budget.check()


def test_seeded_gaps_differ_and_stay_in_range(clock):
    budget = SendBudget(per_hour=1000, per_day=1000, gap_seconds=(3, 8), clock=clock, rng=random.Random(11))
    gaps = []
    for _ in range(20):
        budget.spend()
        with pytest.raises(Throttled) as held:
            budget.check()
        gaps.append(held.value.retry_after)
        clock.advance(seconds=held.value.retry_after)
    assert all(3 <= gap <= 8 for gap in gaps) and len(set(gaps)) > 10


def test_hourly_budget_is_spent_then_frees_an_hour_after_the_oldest_send(clock):
    budget = SendBudget(per_hour=3, per_day=10, gap_seconds=(0, 0), clock=clock)
    for _ in range(3):
        budget.check()
        budget.spend()
        clock.advance(minutes=10)
    with pytest.raises(BudgetSpent, match="hourly budget of 3") as spent:
        budget.check()
    assert spent.value.retry_after == 30 * 60  # the first send was 30 minutes ago
    assert isinstance(spent.value, NotDelivered)  # nothing was sent: the copy may go another way
    assert budget.spent() == (3, 3)
    clock.advance(minutes=30)
    budget.check()


def test_the_record_of_every_process_replaces_what_this_one_counted(clock):
    budget = SendBudget(per_hour=4, per_day=6, gap_seconds=(60, 60), clock=clock)
    budget.spend()  # this process's own count, replaced by the record below
    clock.advance(seconds=61)
    now = clock.now()
    ago = [timedelta(days=2), timedelta(hours=2), timedelta(minutes=30), timedelta(seconds=20)]
    budget.load([(now - t, now - t + timedelta(seconds=60)) for t in ago])  # the first is over a day old
    assert budget.spent() == (2, 3)
    with pytest.raises(Throttled, match="pacing") as paced:
        budget.check()  # the gap runs from the last send on record, 20 s ago
    assert paced.value.retry_after == 40
    clock.advance(seconds=40)
    budget.check()
    budget.spend()
    budget.spend()
    with pytest.raises(BudgetSpent, match="hourly budget of 4"):
        clock.advance(seconds=60)
        budget.check()
    budget.load([])
    assert budget.spent() == (0, 0)


def test_spend_returns_the_send_and_the_end_of_the_gap_drawn(clock):
    budget = SendBudget(per_hour=4, per_day=6, gap_seconds=(2, 10), clock=clock, rng=FixedRandom(0.5))
    at, gap_ends = budget.spend()
    assert at == clock.now() and gap_ends == clock.now() + timedelta(seconds=6)


def test_daily_budget_holds_after_the_hours_allow_again(clock):
    budget = SendBudget(per_hour=2, per_day=3, gap_seconds=(0, 0), clock=clock)
    for hour in range(2):
        for _ in range(2 if hour == 0 else 1):
            budget.check()
            budget.spend()
        clock.advance(hours=1, seconds=1)
    with pytest.raises(BudgetSpent, match="daily budget of 3"):
        budget.check()
    clock.advance(hours=22)
    budget.check()


@pytest.mark.parametrize("bad", [dict(per_hour=0, per_day=5), dict(per_hour=6, per_day=5),
                                 dict(per_hour=1, per_day=5, gap_seconds=(5, 2)),
                                 dict(per_hour=1, per_day=5, gap_seconds=(-1, 2))])
def test_budget_refuses_impossible_limits(clock, bad):
    args = {"gap_seconds": (0, 1), **bad}
    with pytest.raises(ValueError):
        SendBudget(clock=clock, **args)


@pytest.mark.parametrize(("section", "expected"), [
    ({"pace_min_seconds": 9, "pace_max_seconds": 3}, "bridge: Value error, pace_min_seconds (9) must not exceed "
                                                     "pace_max_seconds (3)"),
    ({"hourly_budget": 500, "daily_budget": 100}, "bridge: Value error, hourly_budget (500) must not exceed "
                                                  "daily_budget (100)"),
    ({"hourly_budget": 0}, "bridge.hourly_budget: Input should be greater than or equal to 1"),
    ({"daily_budget": "many"}, "bridge.daily_budget: Input should be a valid integer"),
    ({"pace_max_seconds": 601}, "bridge.pace_max_seconds: Input should be less than or equal to 600"),
    ({"budget": 5}, "bridge.budget: unknown key"),
])
def test_bad_budget_settings_are_refused_naming_the_key(section, expected):
    assert any(expected in error for error in registry.section_errors({"bridge": section}))


def test_default_budget_settings_pass():
    assert registry.section_errors({"bridge": {"hourly_budget": 60, "daily_budget": 300, "pace_min_seconds": 5,
                                               "pace_max_seconds": 15}}) == []
