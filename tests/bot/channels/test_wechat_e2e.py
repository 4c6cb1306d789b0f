"""End to end: an encrypted WeCom AI-bot group message becomes a case, and the replies reach a fake
WeChat API server on loopback — through the real app, the real database and the real outbox."""
from __future__ import annotations

import json

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.app import create_app
from bot.config import parse_config
from bot.keys import ENGINE, OUTBOX, PIPELINE
from storage.db import session
from storage.models import Case, Outbox
from tests.bot.channels.helpers import AES_KEY, TOKEN, aibot_payload, encrypt_only
from tests.factories import SANDBOX_HEADERS, demo_raw, with_sandbox_token
from tests.fakes.wechat_api import FakeWechatApi, Fault

pytestmark = pytest.mark.postgres
NOISE = "@网格助手 楼上每天半夜还在蹦迪 吵得孩子睡不着 8栋2单元"


@pytest.fixture
async def client(fake_api, clock, engine):  # noqa: ANN001, ANN201
    raw = with_sandbox_token(demo_raw())
    raw["database"] = {"url": "sqlite://"}
    raw["aibot"] = {"enabled": True, "token": TOKEN, "aes_key": AES_KEY, "api_base": fake_api.base_url}
    raw["wecom"] = {"enabled": True, "token": TOKEN, "aes_key": AES_KEY, "corp_id": "wwfakecorp",
                    "agent_id": "1000002", "secret": "corp-secret", "api_base": fake_api.base_url}
    raw["grids"][1]["groups"].append({"channel": "aibot", "chat_id": "wrGRID2", "webhook_key": "KEY2"})
    next(p for p in raw["people"] if p["id"] == "officer-2")["wecom_user_id"] = "lijingguan"
    app = create_app(parse_config(raw, environ={}), clock=clock, engine=engine, background=False)
    test_client = TestClient(TestServer(app))
    await test_client.start_server()
    yield test_client
    await test_client.close()


async def post_aibot(client: TestClient, fake_api: FakeWechatApi, msgid: str = "MSG1", text: str = NOISE):
    payload = aibot_payload(msgid=msgid, chatid="wrGRID2", text={"content": text},
                            response_url=f"{fake_api.base_url}/cgi-bin/aibot/response?response_code={msgid}")
    query, encrypt = encrypt_only(json.dumps(payload, ensure_ascii=False), receive_id="")
    resp = await client.post("/wechat/aibot", params=query, json={"encrypt": encrypt})
    assert resp.status == 200, await resp.text()


async def step(client: TestClient) -> None:
    await client.server.app[PIPELINE].run_once()
    await client.server.app[OUTBOX].drain_once()


def cases(client: TestClient) -> list[Case]:
    with session(client.server.app[ENGINE]) as s:
        return list(s.exec(select(Case)).all())


async def test_aibot_group_message_becomes_case_and_replies_reach_wechat(client, fake_api):
    await post_aibot(client, fake_api)
    await step(client)
    [case] = cases(client)
    assert (case.kind, case.subtype, case.grid_id, case.assignee_id) == ("dispute", "noise", "grid-2", "officer-2")
    assert case.reporter_id == "wecom:zhangsan"
    [group_reply] = fake_api.calls_to("/cgi-bin/aibot/response")
    assert f"{case.id}号" in group_reply.body["markdown"]["content"]
    [card] = fake_api.calls_to("/cgi-bin/message/send")
    assert card.body["touser"] == "lijingguan" and "噪音" in card.body["text"]["content"]
    assert fake_api.errors == []


async def test_retried_callback_makes_nothing_twice(client, fake_api):
    await post_aibot(client, fake_api)
    await post_aibot(client, fake_api)
    await step(client)
    await step(client)
    assert len(cases(client)) == 1
    assert len(fake_api.calls_to("/cgi-bin/aibot/response")) == 1
    assert len(fake_api.calls_to("/cgi-bin/message/send")) == 1


@pytest.mark.parametrize("fault, attempts", [(Fault.http(500), 1), (Fault.errcode(45009), 0), (Fault.drop(), 1),
                                             (Fault.errcode(-1), 1)])
async def test_injected_errors_lose_nothing_and_duplicate_nothing(client, fake_api, clock, fault, attempts):
    fake_api.inject("/cgi-bin/message/send", fault)
    await post_aibot(client, fake_api)
    await step(client)
    with session(client.server.app[ENGINE]) as s:
        card = s.exec(select(Outbox).where(Outbox.channel == "wecom")).one()
        # a rate limit (45009) waits without spending an attempt; real failures count
        assert card.status == "pending" and card.attempts == attempts and card.last_error
    clock.advance(seconds=70)
    await client.server.app[OUTBOX].drain_once()
    with session(client.server.app[ENGINE]) as s:
        assert s.exec(select(Outbox).where(Outbox.channel == "wecom")).one().status == "sent"
    delivered = [c for c in fake_api.calls_to("/cgi-bin/message/send") if c.body and "touser" in c.body]
    assert len(delivered) == 2  # the failed try and the retry; the case card went out exactly once after it
    assert len(cases(client)) == 1


async def test_expired_token_is_refreshed_and_the_message_sent_once(client, fake_api):
    await post_aibot(client, fake_api, msgid="M-A")
    await step(client)
    fake_api.expire_tokens()
    await client.post("/sandbox/messages", headers=SANDBOX_HEADERS,
                      json={"user_id": "officer-2", "sender_id": "officer-2", "text": "/case 1"})
    await post_aibot(client, fake_api, msgid="M-B", text="@网格助手 楼下饭店油烟太大 天天熏得开不了窗 9栋")
    await step(client)
    assert len(fake_api.calls_to("/cgi-bin/gettoken")) == 2
    assert len(fake_api.calls_to("/cgi-bin/message/send")) == 3  # card 1, refused with 42001, card 2 again


async def test_forged_callback_is_refused_and_stores_nothing(client, fake_api):
    payload = aibot_payload(chatid="wrGRID2")
    query, encrypt = encrypt_only(json.dumps(payload), receive_id="")
    query["msg_signature"] = "0" * 40
    resp = await client.post("/wechat/aibot", params=query, json={"encrypt": encrypt})
    assert 400 <= resp.status < 500
    await step(client)
    assert cases(client) == [] and fake_api.calls == []
