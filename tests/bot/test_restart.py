"""What was accepted survives a restart: an unhandled message and an unsent outbox row finish afterwards."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.app import create_app
from bot.keys import OUTBOX, PIPELINE
from storage.db import make_engine, session
from storage.models import Message, Outbox
from tests.factories import BotDriver, make_engine_for, pg_test_url

pytestmark = pytest.mark.postgres


@pytest.fixture
def db_url(backend, tmp_path):  # noqa: ANN001, ANN201
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'restart.db'}"
    make_engine_for("postgresql").dispose()  # empty tables
    return pg_test_url()


async def start(config, clock, url):  # noqa: ANN001, ANN201
    engine = make_engine(url, create=True)
    client = TestClient(TestServer(create_app(config, clock=clock, engine=engine, background=False)))
    await client.start_server()
    return BotDriver(client), engine


async def test_unhandled_message_and_unsent_reply_finish_after_restart(config, clock, db_url):
    first, engine = await start(config, clock, db_url)
    await first.say("grid-2", "resident-7", "楼上天天半夜吵 蹦迪一样 睡不着", msg_id="r-1")
    await first.client.close()
    engine.dispose()

    second, engine = await start(config, clock, db_url)
    assert await second.app[PIPELINE].run_once() == 1  # handled after the restart, not before
    await second.client.close()
    engine.dispose()
    with session(make_engine(db_url, create=True)) as s:
        assert [r.status for r in s.exec(select(Outbox)).all()] == ["pending"] * 3  # group reply, officer card, mediator card

    third, engine = await start(config, clock, db_url)
    assert await third.app[OUTBOX].drain_once() == 3
    assert len(await third.sent("grid-2")) == 1 and len(await third.sent("officer-2")) == 1
    assert len(await third.sent("mediator-property")) == 1
    assert await third.app[PIPELINE].run_once() == 0 and await third.app[OUTBOX].drain_once() == 0
    with session(engine) as s:
        assert s.exec(select(Message)).one().handled_at is not None
    await third.client.close()
    engine.dispose()
