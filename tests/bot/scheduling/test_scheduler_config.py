"""Schedule, [friday] and [scheduler] config: validated, errors named by key path; `gridbot schedule`."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.cli import main
from bot.config import ConfigError
from bot.scheduling.cron import crontab_trigger
from bot.scheduling.scheduler import next_runs
from tests.factories import ROOT, make_config


def errors_of(**sections) -> list[str]:  # noqa: ANN003
    with pytest.raises(ConfigError) as info:
        make_config(**sections)
    return info.value.errors


def schedule(**fields) -> dict:  # noqa: ANN003
    return {"id": "s", "cron": "0 9 * * 1", "targets": ["all"], "topic": "anti-fraud", **fields}


def test_a_bad_cron_is_reported_with_its_key_path() -> None:
    errors = errors_of(schedules=[schedule(id="ok"), schedule(id="bad", cron="0 25 * * 1")])
    assert len(errors) == 1 and errors[0].startswith("schedules[1].cron: ")
    assert "25" in errors[0]


@pytest.mark.parametrize(("fields", "path"), [
    ({"cron": "0 9 * *"}, "schedules[0].cron"),
    ({"cron": "0 9 * * 8"}, "schedules[0].cron"),
    ({"timezone": "Mars/Olympus"}, "schedules[0].timezone"),
    ({"colour": "red"}, "schedules[0].colour: unknown key"),
    ({"kind": "party"}, "schedules[0].kind"),
    ({"topic": ""}, "schedules[0]: "),
    ({"topics": ["theft"]}, "schedules[0]: "),
])
def test_bad_schedule_fields_name_their_key(fields: dict, path: str) -> None:
    errors = errors_of(schedules=[schedule(**fields)])
    assert any(e.startswith(path) for e in errors), errors


def test_unknown_grids_and_topics_are_reported_by_reference_checks() -> None:
    errors = errors_of(schedules=[
        schedule(targets=["grid-1", "grid-9"]),
        schedule(id="t", topic="", topics=["theft", "ghosts"]),
        schedule(id="t", targets=["all", "grid-1"]),
    ])
    assert "schedules[0].targets[1]: 'grid-9' is not a grid id in [[grids]]" in errors
    assert any(e.startswith("schedules[1].topics[1]: unknown topic 'ghosts'") for e in errors)
    assert "schedules: duplicate id 't'" in errors
    assert any(e.startswith("schedules[2].targets: ") for e in errors)


def test_friday_and_scheduler_sections_are_checked() -> None:
    errors = errors_of(friday={"agenda_time": "9am", "hard_after_days": 0}, scheduler={"grace": 5})
    assert any(e.startswith("friday.agenda_time: ") for e in errors)
    assert any(e.startswith("friday.hard_after_days: ") for e in errors)
    assert "scheduler.grace: unknown key" in errors


def test_crontab_weekdays_mean_what_crontab_means() -> None:
    monday = datetime(2026, 11, 2, tzinfo=timezone.utc)
    nexts = {expr: crontab_trigger(expr, "UTC").get_next_fire_time(None, monday).strftime("%a")
             for expr in ("0 9 * * 1", "0 9 * * 0", "0 9 * * 7", "0 9 * * 5", "0 9 * * sat", "0 9 * * 2-4")}
    assert nexts == {"0 9 * * 1": "Mon", "0 9 * * 0": "Sun", "0 9 * * 7": "Sun", "0 9 * * 5": "Fri",
                     "0 9 * * sat": "Sat", "0 9 * * 2-4": "Tue"}


def test_next_runs_lists_each_job_with_its_targets_soonest_first() -> None:
    lines = next_runs(make_config(), now=datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc))  # Tue 10:00
    assert lines[:5] == [
        "2026-11-25 03:30 Asia/Shanghai  privacy:purge  → message text older than 180 days",
        "2026-11-25 08:30 Asia/Shanghai  digest:daily-digest  → officer-1, officer-2, officer-3",
        "2026-11-25 20:00 Asia/Shanghai  notice:shops-theft  → grid-3 (theft)",
        "2026-11-27 09:00 Asia/Shanghai  friday:agenda  → officers and mediators concerned",
        "2026-11-27 17:30 Asia/Shanghai  friday:outcome  → officers and mediators concerned",
    ]
    assert "2026-11-30 09:00 Asia/Shanghai  notice:anti-fraud-weekly  → grid-1, grid-2, grid-3 (anti-fraud)" in lines
    assert not any("timers" in line for line in lines)


def test_gridbot_schedule_prints_the_demo_runs(capsys) -> None:  # noqa: ANN001
    assert main(["schedule", "--config", str(ROOT / "config.toml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10  # the notices, the digest, Friday's two, the retention purge
    assert any(line.endswith("notice:anti-fraud-weekly  → grid-1, grid-2, grid-3 (anti-fraud)") for line in lines)
    assert any("friday:agenda" in line for line in lines)


def test_check_config_reports_a_bad_schedule_line_and_exits_2(tmp_path, capsys) -> None:  # noqa: ANN001
    text = (ROOT / "config.toml").read_text(encoding="utf-8").replace('cron = "0 10 1 * *"', 'cron = "0 10 32 * *"')
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["check-config", "--config", str(path)]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{path}: schedules[1].cron: ")
