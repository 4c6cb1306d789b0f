"""Builders for tests: the demo config, an engine per test, and a driver for the app."""
from __future__ import annotations

import os
import re
import tempfile
import tomllib
import uuid
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.channels import registry
from bot.config import Config, parse_config
from bot.keys import CLOCK, CONFIG, ENGINE, MEDIA, OUTBOX, PIPELINE
from handlers.routines.timers import run_timers
from storage import migrate
from storage.db import make_engine
from storage.db import session as new_session

ROOT = Path(__file__).resolve().parent.parent
PG_ENV = "GRIDBOT_TEST_DATABASE_URL"
POSTGRES_ONLY = "GRIDBOT_TEST_POSTGRES_ONLY"  # the backend fixture skips its SQLite runs
_URL = re.compile(r"https?://\S+")
_COMMAND = re.compile(r"[/／][A-Za-z]+")
_ID = re.compile(r"[A-Za-z0-9_.:@-]*[0-9:@-][A-Za-z0-9_.:@-]*")  # officer-2, grid-1, wxid_li:3 …
_CODE = re.compile(r"[a-z_]{3,}")
COMMAND_WORDS = {"all", "add", "remove", "list", "status", "show", "edit", "learn"}  # words officers type after a command
DIRECT = registry.directory().direct  # account family → the channel that sends its direct messages


SANDBOX_TOKEN = "sandbox-test-token-0123456789"
SANDBOX_HEADERS = {"X-Sandbox-Token": SANDBOX_TOKEN}  # sent by the driver always; needed once a real channel is on


def demo_raw() -> dict[str, Any]:
    return tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))


def with_sandbox_token(raw: dict[str, Any]) -> dict[str, Any]:
    """The raw config with the sandbox behind the test token (required next to a real channel)."""
    raw["sandbox"] = {**raw.get("sandbox", {}), "enabled": True, "token": SANDBOX_TOKEN}
    return raw


def make_config(**sections: Any) -> Config:
    raw = demo_raw()
    raw["media"] = {"root": tempfile.mkdtemp(prefix="gridbot-media-")}  # never the checkout's var/media
    raw.update(sections)
    if any(isinstance(v, dict) and v.get("enabled") for k, v in sections.items() if k in registry.NAMES) \
            and "sandbox" not in sections:
        with_sandbox_token(raw)
    raw["database"] = {"url": "sqlite://"}
    return parse_config(raw, environ={})


def make_engine_for(backend: str, tmp_path: Path | None = None) -> Engine:
    """A fresh, empty database: in-memory or file SQLite, or the PostgreSQL test server."""
    if backend == "sqlite":
        return make_engine("sqlite://", create=True)
    if backend == "sqlite-file":
        return make_engine(f"sqlite:///{tmp_path / f'gridbot-{uuid.uuid4().hex}.db'}", create=True)
    engine = make_engine(pg_test_url(), create=False)
    if migrate.current(engine) == migrate.head() and _tables_are_the_models(engine):
        with engine.begin() as conn:  # each test starts from empty tables (ids from 1), in this run's own schema
            conn.execute(text(f"TRUNCATE {', '.join(_quoted_tables())} RESTART IDENTITY CASCADE"))
        return engine
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {_pg_schema()} CASCADE; CREATE SCHEMA {_pg_schema()}"))
    migrate.upgrade(engine)  # the PostgreSQL run builds its schema through the migrations (again after a test that
    return engine            # took it back or dropped tables: then the revision or the tables differ)


def _quoted_tables() -> list[str]:
    from storage.models import METADATA

    return [f'"{table.name}"' for table in METADATA.sorted_tables]


def _tables_are_the_models(engine: Engine) -> bool:
    from sqlalchemy import inspect

    from storage.models import METADATA

    return set(inspect(engine).get_table_names()) - {"alembic_version"} == set(METADATA.tables)


def _pg_schema() -> str:
    return f"gridbot_test_{os.getpid()}"


def pg_test_url() -> str:
    """The PostgreSQL test URL, pinned to a schema of this process so parallel runs never collide."""
    url = os.environ[PG_ENV]
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{_pg_schema()}"


class BotDriver:
    """Talks to the app as the sandbox would, then drives the worker and the outbox one step at a time."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.app = client.server.app

    async def say(self, chat: str, sender: str, text: str, *, msg_id: str | None = None,
                  direct: bool = False) -> dict:
        body = {"user_id" if direct else "group_id": chat, "sender_id": sender, "text": text}
        if msg_id:
            body["msg_id"] = msg_id
        resp = await self.client.post("/sandbox/messages", json=body, headers=SANDBOX_HEADERS)
        assert resp.status == 200, await resp.text()
        return await resp.json()

    async def step(self) -> None:
        """Handle what is stored, fetch and read the media that came with it, handle what they released, send."""
        await self.app[PIPELINE].run_once()
        if await self.app[MEDIA].run_once():
            await self.app[PIPELINE].run_once()
        for _ in range(100):  # every due row, a batch at a time (rows put off by a rate limit wait)
            if not await self.app[OUTBOX].drain_once():
                break

    async def post(self, body: dict) -> dict:
        """POST any sandbox body (image_base64, location …); returns the answer."""
        resp = await self.client.post("/sandbox/messages", json=body, headers=SANDBOX_HEADERS)
        assert resp.status == 200, await resp.text()
        return await resp.json()

    async def send_and_step(self, body: dict) -> list[dict]:
        before = len(await self.sent())
        await self.post(body)
        await self.step()
        return (await self.sent())[before:]

    async def tick(self) -> int:
        """Run the case timers once at the clock's now (as the scheduler does every minute), then send."""
        with new_session(self.app[ENGINE]) as session:
            done = run_timers(session, config=self.app[CONFIG], now=self.app[CLOCK].now())
            session.commit()
        await self.app[OUTBOX].drain_once()
        return done

    async def talk(self, chat: str, sender: str, text: str, **kwargs: Any) -> list[dict]:
        """Say something, let the bot work, and return what it sent in reply (anywhere)."""
        before = len(await self.sent())
        await self.say(chat, sender, text, **kwargs)
        await self.step()
        return (await self.sent())[before:]

    raw = False  # True: sent() shows what was delivered (officers' cards unmasked), not the masked /sandbox/sent

    async def sent(self, chat_id: str | None = None) -> list[dict]:
        if self.raw:
            return self.delivered(chat_id)
        url = "/sandbox/sent" + (f"?chat_id={chat_id}" if chat_id else "")
        resp = await self.client.get(url, headers=SANDBOX_HEADERS)
        assert resp.status == 200
        return await resp.json()

    def delivered(self, chat_id: str | None = None) -> list[dict]:
        """What the sandbox channel delivered, as its recipients read it (raw where they may see raw values)."""
        from storage import outbox

        with new_session(self.app[ENGINE]) as session:
            return [{"chat_id": r.chat_id, "text": r.text, "mentions": r.mentions,
                     "sent_at": r.sent_at.isoformat() if r.sent_at else None}
                    for r in outbox.sent_on(session, channel="sandbox", chat_id=chat_id)]

    async def api(self, path: str, token: str = "dev-token") -> tuple[int, Any]:
        resp = await self.client.get(path, headers={"Authorization": f"Bearer {token}"})
        return resp.status, await resp.json()


def internal_codes(text: str, quoted: list[str]) -> list[str]:
    """English code words (``in_progress``, ``opened``) in a text the bot sent; residents' own words it quotes,
    commands, ids and URLs aside."""
    for words in sorted(quoted, key=len, reverse=True):
        if words:
            text = text.replace(words, " ")
    for pattern in (_URL, _COMMAND, _ID):
        text = pattern.sub(" ", text)
    return [word for word in _CODE.findall(text) if word not in COMMAND_WORDS]


def codes_sent(engine: Engine) -> list[tuple[str, list[str]]]:
    """Every text in the outbox that carries an internal code, with the codes found."""
    from storage.models import Message, Outbox

    with new_session(engine) as session:
        quoted = [m.text for m in session.exec(select(Message)).all()]
        rows = session.exec(select(Outbox)).all()
        return [(row.text, found) for row in rows if (found := internal_codes(row.text, quoted))]
