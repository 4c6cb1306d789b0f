"""`gridbot purge [--dry-run]`: counts, then purges message text older than [privacy] retain_message_days."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlmodel import select

from bot.cli import main
from storage.db import make_engine
from storage.db import session as new_session
from storage.models import Message
from tests.bot.test_exports import ROOT


def _message(n: int, age_days: int) -> Message:
    when = datetime.now(timezone.utc) - timedelta(days=age_days)
    return Message(channel="sandbox", channel_msg_id=f"m-{n}", chat_id="grid-1", sender_id="resident-1",
                   text=f"第{n}条，电话13812345678", sent_at=when, received_at=when, handled_at=when)


def test_purge_dry_run_then_purge(tmp_path, capsys):
    config = tmp_path / "config.toml"
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    text = text.replace('url = "sqlite:///var/gridbot.db"', f'url = "sqlite:///{tmp_path}/g.db"')
    config.write_text(text.replace('root = "var/media"', f'root = "{tmp_path}/media"'), encoding="utf-8")
    assert main(["db", "upgrade", "--config", str(config)]) == 0
    engine = make_engine(f"sqlite:///{tmp_path}/g.db")
    with new_session(engine) as session:
        session.add_all([_message(1, 200), _message(2, 181), _message(3, 10)])
        session.commit()
    capsys.readouterr()
    assert main(["purge", "--dry-run", "--config", str(config)]) == 0
    assert "would purge 2 messages" in capsys.readouterr().out
    with new_session(engine) as session:
        assert all(m.text for m in session.exec(select(Message)))
    assert main(["purge", "--config", str(config)]) == 0
    assert "purged 2 messages" in capsys.readouterr().out
    with new_session(engine) as session:
        assert [m.text for m in session.exec(select(Message).order_by(Message.id))] == ["", "", "第3条，电话13812345678"]
    engine.dispose()
