"""Log lines are masked like every other text: the message, its arguments and a traceback."""
from __future__ import annotations

import logging

from bot.log_masking import FORMAT, MaskingFormatter


def _record(msg: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord("gridbot.test", logging.ERROR, __file__, 1, msg, args, info)


def test_a_log_line_never_carries_a_raw_number():
    try:
        raise ValueError("could not store 居民电话 138 1234 5678")
    except ValueError as exc:
        record = _record("message from %s failed: %s", "身份证11010119900307123X", "0571-88886666", exc=exc)
    line = MaskingFormatter(FORMAT).format(record)
    for raw in ("138 1234 5678", "11010119900307123X", "0571-88886666"):
        assert raw not in line
    assert "138 **** 5678" in line and "ValueError" in line
