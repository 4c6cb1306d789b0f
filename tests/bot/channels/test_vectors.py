"""Every official WXBizMsgCrypt vector goes through the real routes (tests/bot/channels/data/)."""
from __future__ import annotations

import pytest
from aiohttp import web
from wechatpy.work import crypto as work_crypto

from bot.channels.aibot import AibotCallback
from bot.channels.base import adapter_routes, mount
from bot.channels.mp import MpCallback
from bot.channels.wecom import WecomCallback
from tests.bot.channels.helpers import VECTORS, Recorder, at


def by_id(group: str) -> list:
    return [pytest.param(v, id=v["id"]) for v in VECTORS[group]]


async def client_for(aiohttp_client, clock, recorder, **adapters):  # noqa: ANN001, ANN201
    app = web.Application()
    mount(app, [route for adapter in adapters.values() for route in adapter_routes(adapter, recorder)])
    return await aiohttp_client(app)


def wecom_for(v: dict, clock) -> WecomCallback:  # noqa: ANN001
    return WecomCallback(token=v["token"], aes_key=v["encoding_aes_key"], corp_id=v["receive_id"], clock=clock)


@pytest.mark.parametrize("v", by_id("verify_url"))
async def test_url_verification_returns_decrypted_echostr(aiohttp_client, clock, v):
    clock.set(at(v["timestamp"]))
    client = await client_for(aiohttp_client, clock, Recorder(), wecom=wecom_for(v, clock))
    query = {k: v[k] for k in ("msg_signature", "timestamp", "nonce", "echostr")}
    resp = await client.get("/wechat/wecom", params=query)
    assert resp.status == 200
    assert await resp.read() == v["expected_plain"].encode()


@pytest.mark.parametrize("v", [p for p in by_id("decrypt") if p.id in ("A2", "B2", "C2")])
async def test_wecom_vector_decrypts_to_one_message(aiohttp_client, clock, v):
    clock.set(at(v["timestamp"]))
    recorder = Recorder()
    client = await client_for(aiohttp_client, clock, recorder, wecom=wecom_for(v, clock))
    body = f"<xml><ToUserName><![CDATA[{v['receive_id']}]]></ToUserName><Encrypt><![CDATA[{v['encrypt']}]]></Encrypt></xml>"
    query = {k: v[k] for k in ("msg_signature", "timestamp", "nonce")}
    resp = await client.post("/wechat/wecom", params=query, data=body.encode())
    assert resp.status == 200 and await resp.read() == b""
    [msg] = recorder.messages
    plain = v["expected_plain"]
    assert f"<Content><![CDATA[{msg.text}]]>" in plain or f"<Content>{msg.text}</Content>" in plain
    assert msg.channel_msg_id in plain and msg.sender_id in plain and msg.is_direct


async def test_official_account_vector_d1_in_safe_mode(aiohttp_client, clock):
    [v] = [x for x in VECTORS["decrypt"] if x["id"] == "D1"]
    clock.set(at(v["timestamp"]))
    recorder = Recorder()
    mp = MpCallback(token=v["token"], aes_key=v["encoding_aes_key"], app_id=v["receive_id"], clock=clock)
    client = await client_for(aiohttp_client, clock, recorder, mp=mp)
    body = f"<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[{v['encrypt']}]]></Encrypt></xml>"
    query = {"encrypt_type": "aes", **{k: v[k] for k in ("msg_signature", "timestamp", "nonce")}}
    resp = await client.post("/wechat/mp", params=query, data=body.encode())
    assert resp.status == 200 and await resp.text() == "success"
    [msg] = recorder.messages
    assert (msg.channel, msg.chat_id, msg.text) == ("mp", "oyORnuP8q7ou2gfYjqLzSIWZf0rs", "abcdteT")
    assert msg.channel_msg_id == "6054768590064713728" and msg.is_direct


async def test_aibot_vector_s1_decrypts_json(aiohttp_client, clock):
    [v] = [x for x in VECTORS["decrypt"] if x["id"] == "S1"]
    clock.set(at(v["timestamp"]))
    recorder = Recorder()
    aibot = AibotCallback(token=v["token"], aes_key=v["encoding_aes_key"], clock=clock)
    client = await client_for(aiohttp_client, clock, recorder, aibot=aibot)
    query = {k: v[k] for k in ("msg_signature", "timestamp", "nonce")}
    resp = await client.post("/wechat/aibot", params=query, json={"encrypt": v["encrypt"]})
    assert resp.status == 200 and await resp.read() == b""
    [msg] = recorder.messages
    assert (msg.chat_id, msg.sender_id, msg.text, msg.is_direct) == ("CHATID", "zhangsan", "楼道灯坏了", False)
    assert msg.reply_hint["response_url"].endswith("response_code=RC")


@pytest.mark.parametrize("v", by_id("plain_signature"))
async def test_official_account_plain_signature_vectors(aiohttp_client, clock, v):
    clock.set(at(v["timestamp"]))
    recorder = Recorder()
    client = await client_for(aiohttp_client, clock, recorder,
                              mp=MpCallback(token=v["token"], app_id="wx-any", clock=clock))
    query = {k: v[k] for k in ("signature", "timestamp", "nonce")}
    if "echostr" in v:
        resp = await client.get("/wechat/mp", params={**query, "echostr": v["echostr"]})
        assert resp.status == 200 and await resp.text() == v["echostr"]
        return
    body = ("<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oRes1]]></FromUserName>"
            f"<CreateTime>{v['timestamp']}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            "<Content><![CDATA[你好]]></Content><MsgId>42</MsgId></xml>")
    resp = await client.post("/wechat/mp", params=query, data=body.encode())
    assert resp.status == 200 and await resp.text() == "success"
    assert [m.text for m in recorder.messages] == ["你好"]


@pytest.mark.parametrize("v", by_id("encrypt_fixed_random"))
async def test_fixed_random_encryption_vector_round_trips_through_route(aiohttp_client, clock, v, monkeypatch):
    # Patches wechatpy (not our code) so the random prefix is the vector's fixed one.
    monkeypatch.setattr(work_crypto.PrpCrypto, "get_random_string", lambda self: v["random16"])
    crypto = work_crypto.WeChatCrypto(v["token"], v["encoding_aes_key"], v["receive_id"])
    envelope = crypto.encrypt_message(v["plain"], v["nonce"], v["timestamp"])
    assert v["expected_encrypt"] in envelope and v["expected_msg_signature"] in envelope
    clock.set(at(v["timestamp"]))
    recorder = Recorder()
    client = await client_for(aiohttp_client, clock, recorder, wecom=wecom_for(v, clock))
    query = {"msg_signature": v["expected_msg_signature"], "timestamp": v["timestamp"], "nonce": v["nonce"]}
    resp = await client.post("/wechat/wecom", params=query, data=envelope.encode())
    assert resp.status == 200
    assert [m.text for m in recorder.messages] == ["test"]
