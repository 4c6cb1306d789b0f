"""Inbound adapters turn real (encrypted, signed) callbacks into GroupMessages."""
from __future__ import annotations

import json

import pytest
from aiohttp import web

from bot.channels import registry
from bot.channels.base import adapter_routes, mount
from bot.channels.mp import MpCallback
from bot.channels.wechat.security import sha1_signature
from bot.channels.wecom import WecomCallback
from tests.bot.channels.helpers import (
    CORP_ID,
    NOW_TS,
    TOKEN,
    aibot_payload,
    at,
    bridge_event,
    encrypt_only,
    encrypted_post,
    signed_bridge,
    wecom_text_xml,
)
from tests.factories import make_config


async def test_wecom_encrypted_text_becomes_one_direct_message(callbacks, recorder):
    query, body = encrypted_post(wecom_text_xml(content="/case 12", msg_id="7001"))
    resp = await callbacks.post("/wechat/wecom", params=query, data=body.encode())
    assert resp.status == 200 and await resp.read() == b""
    [msg] = recorder.messages
    assert (msg.channel, msg.chat_id, msg.sender_id, msg.text) == ("wecom", "officer-1", "officer-1", "/case 12")
    assert msg.channel_msg_id == "7001" and msg.is_direct and msg.sent_at == at(NOW_TS)


async def test_retried_wecom_callback_is_accepted_again_with_same_msg_id(callbacks, recorder):
    query, body = encrypted_post(wecom_text_xml(msg_id="7002"))
    for _ in range(2):
        resp = await callbacks.post("/wechat/wecom", params=query, data=body.encode())
        assert resp.status == 200
    assert [m.channel_msg_id for m in recorder.messages] == ["7002", "7002"]


async def test_wecom_event_is_answered_empty_and_not_accepted(callbacks, recorder):
    event = (f"<xml><ToUserName>{CORP_ID}</ToUserName><FromUserName>officer-1</FromUserName>"
             f"<CreateTime>{NOW_TS}</CreateTime><MsgType>event</MsgType><Event>enter_agent</Event>"
             "<AgentID>1000002</AgentID></xml>")
    query, body = encrypted_post(event)
    resp = await callbacks.post("/wechat/wecom", params=query, data=body.encode())
    assert resp.status == 200 and await resp.read() == b""
    assert recorder.messages == []


async def test_wecom_url_verification_echoes_plain_text(callbacks):
    query, echostr = encrypt_only("9876543210", receive_id=CORP_ID)
    query = {**query, "echostr": echostr,
             "msg_signature": sha1_signature(TOKEN, query["timestamp"], query["nonce"], echostr)}
    resp = await callbacks.get("/wechat/wecom", params=query)
    assert resp.status == 200 and await resp.read() == b"9876543210"


async def test_store_failure_becomes_503_so_wechat_retries(callbacks, recorder):
    recorder.fail = RuntimeError("database is locked")
    query, body = encrypted_post(wecom_text_xml())
    resp = await callbacks.post("/wechat/wecom", params=query, data=body.encode())
    assert resp.status == 503
    assert "retry" in (await resp.json())["error"]


async def post_aibot(client, payload: dict):  # noqa: ANN001, ANN201
    query, encrypt = encrypt_only(json.dumps(payload, ensure_ascii=False), receive_id="")
    return await client.post("/wechat/aibot", params=query, json={"encrypt": encrypt})


async def test_aibot_group_mention_strips_bot_name(callbacks, recorder, clock):
    resp = await post_aibot(callbacks, aibot_payload())
    assert resp.status == 200 and await resp.read() == b""
    [msg] = recorder.messages
    assert (msg.channel, msg.chat_id, msg.sender_id, msg.text) == ("aibot", "wrGRID1", "zhangsan", "楼道灯坏了")
    assert not msg.is_direct and msg.mentions_bot and msg.channel_msg_id == "CAIQ16HMjQYY"
    assert msg.reply_hint["response_url"].endswith("response_code=RC")
    assert msg.reply_hint["response_url_expires_at"] > clock.now().isoformat()


async def test_aibot_single_chat_is_direct_and_u2005_mention_stripped(callbacks, recorder):
    payload = aibot_payload(chattype="single", chatid=None, text={"content": "@网格助手\u2005怎么办居住证"})
    resp = await post_aibot(callbacks, payload)
    assert resp.status == 200
    [msg] = recorder.messages
    assert (msg.chat_id, msg.is_direct, msg.text) == ("zhangsan", True, "怎么办居住证")


async def test_aibot_mixed_message_keeps_its_text_and_its_images(callbacks, recorder):
    mixed = {"msg_item": [{"msgtype": "text", "text": {"content": "@网格助手 看这张图"}},
                          {"msgtype": "image", "image": {"url": "https://x/y"}}]}
    assert (await post_aibot(callbacks, aibot_payload(msgtype="mixed", mixed=mixed))).status == 200
    image = aibot_payload(msgtype="image", image={"url": "https://x/z"}, msgid="m2")
    assert (await post_aibot(callbacks, image)).status == 200
    assert [(m.kind, m.text, [r.ref for r in m.media]) for m in recorder.messages] == [
        ("image", "看这张图", ["https://x/y"]), ("image", "", ["https://x/z"])]


async def test_aibot_from_another_bot_id_is_refused(callbacks, recorder):
    resp = await post_aibot(callbacks, aibot_payload(aibotid="SOMEONE-ELSE"))
    assert resp.status == 403 and recorder.messages == []


async def test_mp_safe_mode_message_answers_success(callbacks, recorder):
    xml = wecom_text_xml(sender="oResident1", content="我要举报诈骗电话", msg_id="88")
    query, body = encrypted_post(xml)
    resp = await callbacks.post("/wechat/mp", params={**query, "encrypt_type": "aes"}, data=body.encode())
    assert resp.status == 200 and await resp.text() == "success"
    [msg] = recorder.messages
    assert (msg.channel, msg.chat_id, msg.sender_id, msg.is_direct) == ("mp", "oResident1", "oResident1", True)


async def test_mp_plain_mode_get_returns_echostr_unchanged(callbacks):
    ts, nonce = str(NOW_TS), "77"
    query = {"signature": sha1_signature(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "echostr": "4375"}
    resp = await callbacks.get("/wechat/mp", params=query)
    assert resp.status == 200 and await resp.text() == "4375"


async def test_bridge_room_message_becomes_group_message(callbacks, recorder):
    headers, body = signed_bridge(bridge_event())
    resp = await callbacks.post("/bridge", data=body, headers=headers)
    assert resp.status == 200 and await resp.json() == {"ok": True}
    [msg] = recorder.messages
    assert (msg.channel, msg.chat_id, msg.sender_id, msg.sender_name) == ("bridge", "R:10696051", "wxid_zhang", "张三")
    assert (msg.text, msg.is_direct, msg.mentions_bot, msg.channel_msg_id) == ("楼道灯坏了", False, True, "wx-msg-1")
    assert msg.reply_hint["topic"] == "幸福社区3网格群"


async def test_bridge_direct_message_strips_u2005_mentions_without_text_clean(callbacks, recorder):
    event = bridge_event(room=None, text="@网格助手\u2005我家门口有人吵架", text_clean=None, ts=NOW_TS * 1000)
    headers, body = signed_bridge(event)
    assert (await callbacks.post("/bridge", data=body, headers=headers)).status == 200
    [msg] = recorder.messages
    assert (msg.chat_id, msg.is_direct, msg.text, msg.sent_at) == ("wxid_zhang", True, "我家门口有人吵架", at(NOW_TS))


async def test_bridge_room_join_is_accepted_as_an_empty_event_message(callbacks, recorder):
    event = bridge_event(event="room-join", msg_id="join-1", text=None, text_clean=None,
                         room={"id": "R:new", "topic": "新小区网格群"})
    headers, body = signed_bridge(event)
    assert (await callbacks.post("/bridge", data=body, headers=headers)).status == 200
    [msg] = recorder.messages
    assert (msg.chat_id, msg.text) == ("R:new", "")
    assert msg.reply_hint == {"event": "room-join", "topic": "新小区网格群", "source": "wechaty"}


async def test_bridge_recalled_and_unknown_events_are_ignored(callbacks, recorder):
    for event in (bridge_event(msg_type="recalled"), bridge_event(event="friendship")):
        headers, body = signed_bridge(event)
        resp = await callbacks.post("/bridge", data=body, headers=headers)
        assert resp.status == 200 and (await resp.json())["ignored"] is True
    assert recorder.messages == []


async def test_aibot_url_verification_uses_empty_receive_id(callbacks):
    query, echostr = encrypt_only("aibot-echo-1", receive_id="")
    query = {**query, "echostr": echostr,
             "msg_signature": sha1_signature(TOKEN, query["timestamp"], query["nonce"], echostr)}
    resp = await callbacks.get("/wechat/aibot", params=query)
    assert resp.status == 200 and await resp.read() == b"aibot-echo-1"


async def test_only_configured_channels_get_routes(aiohttp_client, clock, recorder):
    app = web.Application()
    config = make_config(bridge={"enabled": True, "secret": "s", "outbound_url": "http://127.0.0.1:9/out"})
    paths = registry.add_routes(app, config, clock, recorder)
    client = await aiohttp_client(app)
    assert paths == ["/sandbox/messages", "/sandbox/sent", "/sandbox/directory", "/sandbox/received", "/sandbox",
                     "/bridge"]
    assert (await client.get("/wechat/wecom")).status == 404


async def test_mp_safe_mode_without_aes_key_is_refused_clearly(aiohttp_client, clock, recorder):
    app = web.Application()
    mount(app, adapter_routes(MpCallback(token=TOKEN, app_id=CORP_ID, clock=clock), recorder))
    client = await aiohttp_client(app)
    query, body = encrypted_post(wecom_text_xml())
    resp = await client.post("/wechat/mp", params={**query, "encrypt_type": "aes"}, data=body.encode())
    assert resp.status == 400 and "aes_key" in (await resp.json())["error"]


def test_malformed_aes_key_is_a_config_error(clock):
    with pytest.raises(ValueError, match="EncodingAESKey"):
        WecomCallback(token=TOKEN, aes_key="too-short", corp_id=CORP_ID, clock=clock)


async def test_bridge_marks_the_bots_own_message(callbacks, recorder):
    headers, body = signed_bridge(bridge_event(self=True, msg_id="wx-own-1"))
    assert (await callbacks.post("/bridge", data=body, headers=headers)).status == 200
    headers, body = signed_bridge(bridge_event(msg_id="wx-other-1"))
    assert (await callbacks.post("/bridge", data=body, headers=headers)).status == 200
    own, other = recorder.messages
    assert own.reply_hint.get("from_self") is True and "from_self" not in other.reply_hint
