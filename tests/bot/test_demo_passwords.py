"""Demo sign-ins: `gridbot user demo-passwords` sets the documented password only for the demo (the sandbox
alone, on the demo's SQLite file), and `gridbot user set-password` / `gridbot token create` work from the CLI."""
from __future__ import annotations

import io

import pytest

from bot.cli import main
from bot.cli_console import DEMO_PASSWORD, demo_refusal
from handlers.accounts import check_password
from storage import auth
from storage.db import make_engine
from storage.db import session as new_session
from tests.factories import make_config


@pytest.mark.parametrize("sections, refused", [
    ({}, None),
    ({"database": {"url": "postgresql://city/db"}}, "not the demo"),
    ({"bridge": {"enabled": True, "secret": "s", "outbound_url": "http://127.0.0.1:9/out"}}, "sandbox alone"),
    ({"sandbox": {"enabled": False}}, "sandbox alone"),
])
def test_demo_passwords_only_for_the_demo(sections, refused):
    config = make_config(**sections)
    if "database" not in sections:
        config = config.model_copy(update={"database": config.database.model_copy(update={"url": "sqlite:///var/gridbot.db"})})
    else:
        config = config.model_copy(update={"database": config.database.model_copy(update=sections["database"])})
    reason = demo_refusal(config)
    assert (reason is None) if refused is None else (refused in reason)


def test_cli_set_password_and_token(tmp_path, monkeypatch, capsys):
    from tests.bot.test_exports import ROOT

    config = tmp_path / "config.toml"
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    config.write_text(text.replace('url = "sqlite:///var/gridbot.db"', f'url = "sqlite:///{tmp_path}/g.db"'))
    assert main(["db", "upgrade", "--config", str(config)]) == 0
    assert main(["user", "demo-passwords", "--config", str(config)]) == 2, "not the demo's database"
    assert "refused" in capsys.readouterr().err
    from bot.app import sync_roster
    from bot.config import load_config

    engine = make_engine(f"sqlite:///{tmp_path}/g.db")
    sync_roster(engine, load_config(config, environ={}))
    monkeypatch.setattr("sys.stdin", io.StringIO("a-new-password\n"))
    assert main(["user", "set-password", "officer-2", "--password-stdin", "--config", str(config)]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a-new-password\n"))
    assert main(["user", "set-password", "nobody", "--password-stdin", "--config", str(config)]) == 2
    assert main(["token", "create", "officer-2", "--label", "12345热线", "--config", str(config)]) == 0
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    with new_session(engine) as session:
        assert check_password("a-new-password", auth.password_hash(session, person_id="officer-2"))
        assert [t.label for t in auth.tokens_of(session, person_id="officer-2")] == ["12345热线"]
        assert secret.startswith("gbt_") and all(secret not in t.token_hash for t in auth.tokens_of(session, person_id="officer-2"))
    engine.dispose()
    assert DEMO_PASSWORD == "gridbot-demo"
