"""`gridbot worker` as a real process: no port, yet it handles what a server accepted, delivers the replies, and
stops cleanly on SIGTERM. (It waits on another process, so it polls the database with a deadline.)"""
from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.app import create_app
from bot.config import load_config
from storage.db import make_engine
from storage.db import session as new_session
from storage.models import Message, Outbox
from tests.factories import SANDBOX_HEADERS

ROOT = Path(__file__).resolve().parents[2]
GRIDBOT = Path(sys.executable).with_name("gridbot")
QUESTION = "请问派出所几点上班？"


def _config(tmp_path: Path) -> Path:
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    text = text.replace('url = "sqlite:///var/gridbot.db"', f'url = "sqlite:///{tmp_path / "worker.db"}"')
    text = text.replace('root = "var/media"', f'root = "{tmp_path / "media"}"')
    path = tmp_path / "worker.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def _run(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(str(GRIDBOT), *args, cwd=ROOT, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.STDOUT)


async def test_a_worker_handles_and_delivers_what_a_server_accepted_and_stops_on_sigterm(tmp_path):
    path = _config(tmp_path)
    upgrade = await _run("db", "upgrade", "--config", str(path))
    assert await upgrade.wait() == 0, (await upgrade.stdout.read()).decode()
    config = load_config(path, environ={})
    engine = make_engine(config.database.url)
    accepting = create_app(config, engine=engine, background=False)  # only accepts: its worker is not driven
    client = TestClient(TestServer(accepting))
    await client.start_server()
    try:
        resp = await client.post("/sandbox/messages", headers=SANDBOX_HEADERS,
                                 json={"group_id": "grid-1", "sender_id": "resident-1", "text": QUESTION})
        assert resp.status == 200
    finally:
        await client.close()

    worker = await _run("worker", "--config", str(path), "--instance", "worker-1")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with new_session(engine) as s:
                message = s.exec(select(Message).where(Message.text == QUESTION)).one()
                replies = s.exec(select(Outbox).where(Outbox.chat_id == "grid-1", Outbox.status == "sent")).all()
            if message.handled_at is not None and replies:
                break
            assert worker.returncode is None, (await worker.stdout.read()).decode()
            await asyncio.sleep(0.1)  # another process does the work: poll it, within the deadline
        assert message.handled_at is not None and any("9:00" in r.text for r in replies)
    finally:
        if worker.returncode is None:
            os.kill(worker.pid, signal.SIGTERM)
        code = await asyncio.wait_for(worker.wait(), timeout=30)
        output = (await worker.stdout.read()).decode()
        engine.dispose()
    assert code == 0, output
    assert "worker-1" in output
