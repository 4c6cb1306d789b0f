"""The demo API token is published in config.toml: check-config and serve refuse it unless the server binds
loopback only (a reverse proxy or 0.0.0.0 would hand every case to anyone who read the README)."""
from __future__ import annotations

import pytest

from bot import cli
from bot.config import ConfigError, parse_config
from bot.config_checks import loopback
from tests.factories import demo_raw


@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.5", "::", "gridbot.example.org"])
def test_the_demo_token_off_loopback_is_a_config_error(host):
    raw = demo_raw()
    raw["server"] = {"host": host}
    with pytest.raises(ConfigError) as caught:
        parse_config(raw, environ={})
    assert any(e.startswith("api.token: the demo token 'dev-token' is refused") for e in caught.value.errors)
    raw["api"] = {"token": "a-real-secret-of-our-own"}
    assert parse_config(raw, environ={}).server.host == host


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_the_demo_token_on_loopback_is_fine(host):
    assert loopback(host)
    raw = demo_raw()
    raw["server"] = {"host": host}
    assert parse_config(raw, environ={}).api.token == "dev-token"


def test_check_config_refuses_and_serve_refuses_a_public_host(tmp_path, capsys):
    text = cli.Path(cli.DEFAULT_CONFIG).read_text(encoding="utf-8")
    public = tmp_path / "public.toml"
    public.write_text(text.replace('host = "127.0.0.1"', 'host = "0.0.0.0"'), encoding="utf-8")
    assert cli.main(["check-config", "--config", str(public)]) == 2
    assert "api.token: the demo token 'dev-token' is refused when the server binds '0.0.0.0'" in capsys.readouterr().err
    local = tmp_path / "local.toml"
    local.write_text(text, encoding="utf-8")
    assert cli.main(["check-config", "--config", str(local)]) == 0
    assert cli.main(["serve", "--config", str(local), "--host", "0.0.0.0"]) == 2  # --host counts too
    assert "演示令牌只能在本机回环地址使用" in capsys.readouterr().err
