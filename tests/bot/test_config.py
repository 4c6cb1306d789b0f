"""Configuration: the demo file is valid; every kind of mistake is reported on its own line with its key path."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, load_config, parse_config
from tests.factories import ROOT, demo_raw


def write_toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def demo_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in config.toml"
    return write_toml(tmp_path, text.replace(old, new, 1))


def test_demo_config_is_valid_and_has_the_contract_ids():
    config = load_config(ROOT / "config.toml", environ={})
    sandbox_groups = {r.chat_id for g in config.grids for r in g.groups if r.channel == "sandbox"}
    assert {"grid-1", "grid-2", "grid-3"} <= sandbox_groups
    assert {"officer-1", "officer-2", "officer-3"} <= {p.id for p in config.people if p.role == "officer"}
    assert config.api.token == "dev-token" and config.community.timezone == "Asia/Shanghai"


def test_check_config_exits_0_on_demo(capsys):
    assert main(["check-config", "--config", str(ROOT / "config.toml")]) == 0
    assert "ok" in capsys.readouterr().out


@pytest.mark.parametrize("old, new, expected", [
    ('officer = "officer-2"', 'officer = "officer-9"', "grids[1].officer: 'officer-9' is not a person"),
    ('name = "幸福里社区"', 'name = "幸福里社区"\ncolour = "blue"', "community.colour: unknown key"),
    ("port = 8080", 'port = "eighty"', "server.port:"),
    ("port = 8080", "port = 70000", "server.port:"),
    ('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"', "community.timezone:"),
    ('token = "dev-token"', 'token = "x"', "api.token:"),
    ('role = "grid_worker"', 'role = "janitor"', "people[5].role:"),
    ('noise = "mediator-property"', 'loudness = "mediator-property"', "mediation.mediators:"),
    ('duty_officer = "duty-1"', 'duty_officer = "worker-1"', "station.duty_officer: 'worker-1' has role"),
    ('close = ["结案"]', 'shutdown = ["结案"]', "commands.aliases.shutdown: unknown command"),
])
def test_each_mistake_is_reported_with_its_key_path(tmp_path, capsys, old, new, expected):
    path = demo_with(tmp_path, old, new)
    assert main(["check-config", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err, err


def test_several_mistakes_each_on_its_own_line(tmp_path, capsys):
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    text = text.replace('officer = "officer-1"', 'officer = "ghost-1"', 1).replace("port = 8080", "port = -1")
    path = write_toml(tmp_path, text.replace('name = "幸福里社区"', 'name = "幸福里社区"\nmayor = 1', 1))
    assert main(["check-config", "--config", str(path)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) >= 2 and all(line.startswith(str(path)) for line in lines)


def test_unreadable_files_are_reported(tmp_path, capsys):
    assert main(["check-config", "--config", str(tmp_path / "missing.toml")]) == 2
    assert "file not found" in capsys.readouterr().err
    path = write_toml(tmp_path, "[community\nname=")
    assert main(["check-config", "--config", str(path)]) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_serve_refuses_to_start_with_the_same_lines(tmp_path, capsys):
    path = demo_with(tmp_path, 'officer = "officer-2"', 'officer = "officer-9"')
    assert main(["serve", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "grids[1].officer: 'officer-9' is not a person" in err and "refusing to start" in err


def test_environment_overrides_config():
    env = {"GRIDBOT_API_TOKEN": "from-the-env-123", "GRIDBOT_DATABASE_URL": "sqlite:///tmp/x.db",
           "GRIDBOT_SERVER_PORT": "9090", "GRIDBOT_TEST_DATABASE_URL": "postgresql://ignored"}
    config = parse_config(demo_raw(), environ=env)
    assert config.api.token == "from-the-env-123"
    assert config.database.url == "sqlite:///tmp/x.db" and config.server.port == 9090


def test_bad_environment_value_is_reported_like_a_file_value():
    with pytest.raises(ConfigError) as info:
        parse_config(demo_raw(), environ={"GRIDBOT_SERVER_PORT": "not-a-port"})
    assert any(line.startswith("server.port:") for line in info.value.errors)


def test_every_kind_of_error_is_reported_in_one_pass(tmp_path, capsys):
    """A dangling reference, a type error, a channel section error, an alias clash and a bad schedule target
    all show in the same run (not one layer at a time)."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    text = text.replace('officer = "officer-2"', 'officer = "officer-9"', 1).replace("port = 8080", 'port = "x"')
    text = text.replace('targets = ["grid-3"]', 'targets = ["grid-7"]', 1)
    text = text.replace('help = ["帮助"]', 'help = ["帮助", "结案"]', 1)
    text += '\n[bridge]\nenabled = true\n\n[mp]\ncolour = "red"\n'
    path = write_toml(tmp_path, text)
    assert main(["check-config", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    for expected in ("grids[1].officer: 'officer-9' is not a person", "server.port:", "mp.colour: unknown key",
                     "bridge.secret: required when bridge.enabled is true", "targets[0]: 'grid-7' is not a grid id",
                     "alias /结案 is already taken"):
        assert expected in err, (expected, err)


@pytest.mark.parametrize("section, expected", [
    ({"grids": [{"id": "g", "name": "n", "officer": "officer-1", "groups": [{"channel": "fax", "chat_id": "x"}]}]},
     "grids[0].groups[0].channel: unknown channel 'fax'"),
    ({"people": [{"id": "officer-1", "name": "张", "role": "officer", "accounts": {"fax": "1"}}]},
     "people[0].accounts.fax: unknown account family"),
])
def test_unknown_channels_and_account_families_are_refused(section, expected):
    raw = {**demo_raw(), **section}
    with pytest.raises(ConfigError) as info:
        parse_config(raw, environ={})
    assert any(expected in line for line in info.value.errors), info.value.errors


def test_accounts_table_adds_ids_for_any_family():
    raw = demo_raw()
    person = next(p for p in raw["people"] if p["id"] == "officer-2")
    person.update(wecom_user_id="lijingguan", accounts={"bridge": "wxid_li"})
    config = parse_config(raw, environ={})
    assert config.person("officer-2").account_ids() == {"wecom": "lijingguan", "bridge": "wxid_li"}


DUTY_MISTAKES = '''
[[duty]]
person = "worker-1"
hours = "08:00-18:00"

[[duty]]
person = "officer-2"
grids = ["grid-9"]
hours = "22:00-08:00"

[[duty]]
person = "officer-2"
hours = "夜班"

[[duty]]
person = "officer-2"
hours = "00:00-24:00"
weekdays = [8]
'''


def test_duty_rota_mistakes_are_reported_with_their_key_paths(tmp_path, capsys):
    text = (ROOT / "config.toml").read_text(encoding="utf-8") + DUTY_MISTAKES
    assert main(["check-config", "--config", str(write_toml(tmp_path, text))]) == 2
    err = capsys.readouterr().err.splitlines()
    for expected in ("duty[0].person: 'worker-1' has role 'grid_worker', needs one of ['officer']",
                     "duty[1].grids[0]: 'grid-9' is not a grid id in [[grids]]", "duty[2].hours:",
                     "duty[3].weekdays:"):
        assert any(f"config.toml: {expected}" in line for line in err), (expected, err)


def test_a_good_duty_rota_passes_check_config(tmp_path, capsys):
    text = (ROOT / "config.toml").read_text(encoding="utf-8") + '''
[[duty]]
person = "officer-2"
grids = ["grid-1", "grid-2"]
hours = "22:00-08:00"
weekdays = [6, 7]

[[duty]]
person = "duty-1"
hours = "00:00-24:00"
date = 2026-10-01
'''
    assert main(["check-config", "--config", str(write_toml(tmp_path, text))]) == 0, capsys.readouterr().err
