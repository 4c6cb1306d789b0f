"""`gridbot inbox list` / `gridbot inbox retry`: parked messages are listed masked and put back in the queue."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlmodel import select

from bot.cli import main
from storage import inbox
from storage.db import make_engine
from storage.db import session as new_session
from storage.models import Message

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 3, 1, tzinfo=timezone.utc)


def write_config(tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    config.write_text(text.replace('url = "sqlite:///var/gridbot.db"', f'url = "sqlite:///{tmp_path}/g.db"'))
    return config


def park(engine, text: str, *, parked: bool = True) -> int:  # noqa: ANN001
    with new_session(engine) as session:
        values = inbox.message_values(channel="sandbox", channel_msg_id=text, chat_id="grid-1", sender_id="resident-1",
                                      text=text, sent_at=NOW, received_at=NOW)
        values.update(attempts=10, error="OperationalError: database is locked", parked_at=NOW if parked else None)
        message = Message(**values)
        session.add(message)
        session.commit()
        return message.id


def test_list_and_retry_parked_messages(tmp_path, capsys):
    config = write_config(tmp_path)
    assert main(["db", "upgrade", "--config", str(config)]) == 0
    engine = make_engine(f"sqlite:///{tmp_path}/g.db")
    first, second = park(engine, "救命 电话13900001111"), park(engine, "楼上天天吵")
    waiting = park(engine, "还在排队的消息", parked=False)
    capsys.readouterr()
    assert main(["inbox", "list", "--config", str(config)]) == 0
    out = capsys.readouterr()
    assert [line.split("\t")[0] for line in out.out.splitlines()] == [str(second), str(first)]
    assert "139****1111" in out.out and "13900001111" not in out.out and "2 parked" in out.err
    assert main(["inbox", "retry", "--config", str(config)]) == 2  # neither ids nor --all
    assert main(["inbox", "retry", str(waiting), "--config", str(config)]) == 2  # not parked: nothing changes
    assert main(["inbox", "retry", str(first), "--config", str(config)]) == 0
    with new_session(engine) as session:
        rows = {m.id: m for m in session.exec(select(Message)).all()}
    assert rows[first].parked_at is None and rows[first].attempts == 0 and rows[first].handled_at is None
    assert rows[second].parked_at is not None
    assert main(["inbox", "retry", "--all", "--config", str(config)]) == 0
    with new_session(engine) as session:
        assert inbox.count_parked(session) == 0
    engine.dispose()
