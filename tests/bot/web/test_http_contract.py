"""The HTTP contract: health, sandbox input validation, the case API and its token."""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot.keys import ENGINE
from storage.db import session
from storage.models import Message


def stored_messages(bot) -> list[Message]:
    with session(bot.app[ENGINE]) as s:
        return list(s.exec(select(Message)).all())


async def test_healthz(bot):
    resp = await bot.client.get("/healthz")
    assert resp.status == 200 and await resp.json() == {"status": "ok", "handling": "ready"}


@pytest.mark.parametrize("body, fragment", [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "JSON object"),
    (b'{"sender_id": "a", "text": "hi"}', "exactly one of"),
    (b'{"group_id": "grid-1", "user_id": "x", "sender_id": "a", "text": "hi"}', "exactly one of"),
    (b'{"group_id": "grid-1", "text": "hi"}', "sender_id"),
    (b'{"group_id": "grid-1", "sender_id": "a"}', "text"),
    (b'{"group_id": "grid-1", "sender_id": "a", "text": "   "}', "text"),
    (b'{"group_id": 5, "sender_id": "a", "text": "hi"}', "group_id"),
    (b'{"group_id": "grid-1", "sender_id": "a", "text": "hi", "msg_id": 7}', "msg_id"),
])
async def test_bad_sandbox_bodies_are_400_and_store_nothing(bot, body, fragment):
    resp = await bot.client.post("/sandbox/messages", data=body, headers={"Content-Type": "application/json"})
    assert resp.status == 400
    assert fragment in (await resp.json())["error"]
    assert stored_messages(bot) == []


async def test_oversized_text_is_refused(bot):
    resp = await bot.client.post("/sandbox/messages",
                                 json={"group_id": "grid-1", "sender_id": "a", "text": "吵" * 5000})
    assert resp.status == 400 and stored_messages(bot) == []


async def test_bad_request_does_not_lose_accepted_message(bot):
    await bot.say("grid-2", "resident-7", "楼下烧烤店油烟太大 天天熏得开不了窗", msg_id="keep-1")
    await bot.client.post("/sandbox/messages", data=b"garbage")
    assert [m.channel_msg_id for m in stored_messages(bot)] == ["keep-1"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": "dev-token"},
                                     {"Authorization": "Basic dev-token"}])
async def test_case_api_needs_the_bearer_token(bot, headers):
    for path in ("/api/cases", "/api/cases/1"):
        resp = await bot.client.get(path, headers=headers)
        assert resp.status == 401
        assert "token" in (await resp.json())["error"]


async def test_unknown_case_is_404(bot):
    for path in ("/api/cases/12345", "/api/cases/abc"):
        status, body = await bot.api(path)
        assert status == 404 and "error" in body


async def test_case_list_filters(bot):
    await bot.talk("grid-2", "resident-7", "楼上天天半夜吵 蹦迪一样 睡不着")
    await bot.talk("grid-1", "resident-1", "楼上卫生间漏水到我家天花板了 物业一直拖着不修")
    _, by_grid = await bot.api("/api/cases?grid_id=grid-1")
    assert [c["grid_id"] for c in by_grid] == ["grid-1"]
    _, disputes = await bot.api("/api/cases?kind=dispute&status=assigned")
    assert len(disputes) == 2
    _, none = await bot.api("/api/cases?status=closed")
    assert none == []
    for field in ("id", "kind", "subtype", "status", "grid_id", "assignee_id", "reporter_id", "created_at"):
        assert field in by_grid[0]


async def test_sandbox_page_is_served(bot):
    resp = await bot.client.get("/sandbox")
    assert resp.status == 200 and resp.content_type == "text/html"
    html = await resp.text()
    assert "/sandbox/messages" in html and "<script" in html
    assert 'src="http' not in html and "href=\"http" not in html, "no CDN: the page works offline"


async def test_sent_filter_by_chat(bot):
    await bot.talk("grid-2", "resident-7", "楼上天天半夜吵 蹦迪一样 睡不着")
    assert {m["chat_id"] for m in await bot.sent("grid-2")} == {"grid-2"}
    assert await bot.sent("grid-3") == []
