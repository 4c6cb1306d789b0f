"""`gridbot worker` as a real process: no port, yet it handles what a server accepted, delivers the replies, and
stops cleanly on SIGTERM. The test does not poll the database: it wakes on the worker's output (the sandbox sender
logs each delivery), stops the worker once the replies are out, then reads what it left behind."""
from __future__ import annotations

import asyncio
import os
import signal
import sys
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
# A second question in the same chat: its delivery is logged only after the first reply was settled as sent (one
# chat's rows go out in order, each settled before the next is sent: bot/outbox.py), so it marks the first as done.
LATER = "请问身份证丢了怎么补办"


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
        for sender, text in (("resident-1", QUESTION), ("resident-2", LATER)):
            resp = await client.post("/sandbox/messages", headers=SANDBOX_HEADERS,
                                     json={"group_id": "grid-1", "sender_id": sender, "text": text})
            assert resp.status == 200
    finally:
        await client.close()

    worker = await _run("worker", "--config", str(path), "--instance", "worker-1")
    seen: list[str] = []
    try:
        async with asyncio.timeout(60):  # a bounded wait: a broken worker fails the test instead of hanging it
            delivered = await _deliveries(worker, seen, to="grid-1", count=2)
    except TimeoutError:
        delivered = False
    finally:
        if worker.returncode is None:
            os.kill(worker.pid, signal.SIGTERM)
        code = await asyncio.wait_for(worker.wait(), timeout=30)
        output = "".join(seen) + (await worker.stdout.read()).decode()
    with new_session(engine) as s:
        message = s.exec(select(Message).where(Message.text == QUESTION)).one()
        replies = s.exec(select(Outbox).where(Outbox.chat_id == "grid-1", Outbox.status == "sent")).all()
    engine.dispose()
    assert delivered and code == 0, output
    assert message.handled_at is not None and any("9:00" in r.text for r in replies), output
    assert "worker-1" in output


async def _deliveries(worker: asyncio.subprocess.Process, seen: list[str], *, to: str, count: int) -> bool:
    """Read the worker's output (into ``seen``) until its sandbox sender has logged ``count`` deliveries to chat
    ``to``; False if the worker ended first."""
    while line := (await worker.stdout.readline()).decode():
        seen.append(line)
        count -= f"sandbox → {to}:" in line
        if count == 0:
            return True
    return False
