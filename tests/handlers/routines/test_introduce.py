"""The bot introduces itself: added to a group, greeted with an @-mention, asked what it is; a resident's
/help lists what residents can do."""
from __future__ import annotations

from datetime import timedelta

from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.app import create_app
from bot.config import parse_config
from bot.keys import CLOCK, ENGINE, PIPELINE
from storage.db import session
from storage.models import Outbox
from tests.bot.channels.helpers import BRIDGE_SECRET, bridge_event, signed_bridge
from tests.factories import demo_raw, with_sandbox_token


async def test_an_at_mention_greeting_or_a_question_about_the_bot_gets_the_introduction(bot):
    resp = await bot.client.post("/sandbox/messages", json={"group_id": "grid-1", "sender_id": "resident-1",
                                                            "text": "你好", "mentions_bot": True})
    assert resp.status == 200
    await bot.step()
    [intro] = await bot.sent("grid-1")
    assert "社区警务助手" in intro["text"] and "110" in intro["text"] and "张警官" in intro["text"]
    assert await bot.talk("grid-1", "resident-2", "你好") == []  # not addressed to the bot: residents greeting
    sent = await bot.talk("grid-1", "resident-2", "@社区警务助手 你是谁")
    assert len(sent) == 1 and "110" in sent[0]["text"] and sent[0]["mentions"] == ["resident-2"]
    sent = await bot.talk("resident-3", "resident-3", "你能干嘛", direct=True)
    assert "进度" in sent[0]["text"]
    _, cases = await bot.api("/api/cases")
    assert cases == []  # no fraud warning, no case


async def test_binding_a_group_introduces_the_bot_there(bot):
    sent = await bot.talk("grid-1", "officer-1", "/bind grid-1")
    texts = [m["text"] for m in sent if m["chat_id"] == "grid-1"]
    assert any("已绑定" in t for t in texts) and any("社区警务助手" in t and "110" in t for t in texts)


async def test_a_residents_help_lists_what_residents_can_do(bot):
    sent = await bot.talk("grid-1", "resident-1", "/help")
    assert "派出所业务" in sent[0]["text"] and "/progress" in sent[0]["text"] and "/close" not in sent[0]["text"]


async def test_added_to_a_bridge_group_the_bot_introduces_itself_once(clock, engine):
    raw = with_sandbox_token(demo_raw())
    raw["database"] = {"url": "sqlite://"}
    raw["bridge"] = {"enabled": True, "secret": BRIDGE_SECRET, "outbound_url": "http://127.0.0.1:9/outbound"}
    raw["grids"][2]["groups"].append({"channel": "bridge", "chat_id": "R:10696051", "name": "幸福里三网格微信群"})
    app = create_app(parse_config(raw, environ={}), clock=clock, engine=engine, background=False)
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        for n in range(2):  # the gateway reports the join twice
            headers, body = signed_bridge(bridge_event(event="room-join", msg_id=f"join-{n}", text="", text_clean=""))
            assert (await client.post("/bridge", data=body, headers=headers)).status == 200
        await app[PIPELINE].run_once()
        app[CLOCK].advance(timedelta(minutes=5))
        with session(app[ENGINE]) as s:
            rows = s.exec(select(Outbox).where(Outbox.chat_id == "R:10696051")).all()
        assert len(rows) == 1 and "社区警务助手" in rows[0].text and "王警官" in rows[0].text
    finally:
        await client.close()
