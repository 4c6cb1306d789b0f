from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.base import PermanentFailure, TemporaryFailure
from bot.channels.kit.rate_limit import RateLimiter
from bot.channels.kit.text_split import split_text, utf8_len


def test_short_text_is_one_unnumbered_part():
    assert split_text("楼道灯坏了", 2048) == ["楼道灯坏了"]


def test_long_text_splits_at_line_boundaries_and_numbers_parts():
    lines = [f"第{i}条：请注意防范电信诈骗，不要向陌生人转账。" for i in range(120)]
    parts = split_text("\n".join(lines), 2048)
    assert len(parts) > 1 and all(utf8_len(p) <= 2048 for p in parts)
    assert parts[0].startswith(f"(1/{len(parts)}) 第0条") and parts[-1].startswith(f"({len(parts)}/{len(parts)}) ")
    for part in parts:
        assert part.endswith("。")  # whole lines only


def test_one_long_line_splits_at_sentence_ends():
    parts = split_text("请锁好门窗。" * 200, 512)
    assert all(p.endswith("。") and utf8_len(p) <= 512 for p in parts)


def test_text_without_boundaries_is_cut_between_characters():
    parts = split_text("啊" * 1000, 100)
    assert all(utf8_len(p) <= 100 for p in parts)
    assert "".join(p.split(") ", 1)[1] for p in parts) == "啊" * 1000


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=3000), st.integers(min_value=32, max_value=600))
def test_every_part_fits_and_no_text_is_lost(text, limit):
    parts = split_text(text, limit)
    assert all(utf8_len(p) <= limit for p in parts)
    if len(parts) > 1:
        body = "".join(p.split(") ", 1)[1] for p in parts)
        assert "".join(body.split()) == "".join(text.split())


def test_rate_limiter_allows_burst_then_raises_with_retry_after(clock):
    limiter = RateLimiter(20, 60, clock)
    for _ in range(20):
        limiter.acquire("robot-key")
    with pytest.raises(TemporaryFailure) as info:
        limiter.acquire("robot-key")
    assert info.value.retry_after == pytest.approx(3.0)
    limiter.acquire("other-key")  # per key
    clock.advance(timedelta(seconds=3))
    limiter.acquire("robot-key")


def test_rate_limiter_takes_all_parts_or_none(clock):
    limiter = RateLimiter(5, 60, clock)
    limiter.acquire("k", 3)
    with pytest.raises(TemporaryFailure):
        limiter.acquire("k", 3)
    assert limiter.available("k") == pytest.approx(2)
    with pytest.raises(PermanentFailure):
        limiter.acquire("k", 6)
