"""Log lines are masked like every other text: the message, its arguments and a traceback."""
from __future__ import annotations

import json
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.config import ConfigError, parse_config
from bot.log_masking import FORMAT, JsonFormatter, MaskingFormatter, configure
from tests.factories import demo_raw, make_config


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


def test_a_json_line_is_one_masked_object_with_the_traceback():
    try:
        raise ValueError("could not store 居民电话 138 1234 5678")
    except ValueError as exc:
        record = _record("message from %s failed", "身份证11010119900307123X", exc=exc)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "ERROR" and data["logger"] == "gridbot.test" and data["time"].endswith("+00:00")
    assert data["message"] == "message from 身份证1101**********123X failed"
    assert "ValueError" in data["error"] and "138 1234 5678" not in data["error"]


@given(st.text(max_size=300), st.lists(st.text(max_size=40), max_size=3))
def test_any_message_makes_one_line_of_valid_json(message, args):
    record = _record(message.replace("%", "%%") + " %s" * len(args), *args)
    line = JsonFormatter().format(record)
    assert "\n" not in line and json.loads(line)["level"] == "ERROR"


def test_the_logging_section_chooses_json_and_the_level(capsys):
    config = make_config(logging={"format": "json", "level": "WARNING"})
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers = [logging.StreamHandler()]
    try:
        configure(config.logging.level, config.logging.format)
        logging.getLogger("gridbot.test").info("not written at WARNING")
        logging.getLogger("gridbot.test").warning("电话13812345678的居民")
    finally:
        root.handlers, root.level = saved
    lines = capsys.readouterr().err.strip().splitlines()
    assert [json.loads(line)["message"] for line in lines] == ["电话138****5678的居民"]


@pytest.mark.parametrize("section, problem", [
    ({"format": "xml"}, "logging.format"), ({"level": "LOUD"}, "logging.level"), ({"colour": "red"}, "logging.colour"),
])
def test_a_bad_logging_section_names_its_key(section, problem):
    with pytest.raises(ConfigError) as err:
        make_config(logging=section)
    assert any(line.startswith(problem) for line in err.value.errors), err.value.errors


def test_the_format_can_be_set_from_the_environment():
    config = parse_config(demo_raw(), environ={"GRIDBOT_LOGGING_FORMAT": "json"})
    assert config.logging.format == "json"
