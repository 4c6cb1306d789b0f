"""Hostile or broken callbacks: each gets a clear 4xx, and accept is never called."""
from __future__ import annotations

import json

import pytest

from bot.channels.wechat.security import sha1_signature
from tests.bot.channels.helpers import (
    CORP_ID,
    NOW_TS,
    TOKEN,
    aibot_payload,
    bridge_event,
    encrypt_only,
    encrypted_post,
    signed_bridge,
    wecom_text_xml,
)

LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><xml><Encrypt>&lol3;</Encrypt></xml>')
SYSTEM_ENTITY = ('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                 '<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>'
                 '<MsgType>text</MsgType><Content>&xxe;</Content><MsgId>1</MsgId></xml>')


def signed_query(encrypt: str, ts: int = NOW_TS, nonce: str = "5566") -> dict:
    return {"msg_signature": sha1_signature(TOKEN, str(ts), nonce, encrypt), "timestamp": str(ts), "nonce": nonce}


def envelope(encrypt: str) -> bytes:
    return f"<xml><ToUserName>{CORP_ID}</ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>".encode()


def wecom_forged_signature():
    query, body = encrypted_post(wecom_text_xml())
    return "POST", "/wechat/wecom", {"params": {**query, "msg_signature": "0" * 40}, "data": body}


def wecom_stale_timestamp():
    query, body = encrypted_post(wecom_text_xml(), ts=NOW_TS - 301)
    return "POST", "/wechat/wecom", {"params": query, "data": body}


def wecom_future_timestamp():
    query, body = encrypted_post(wecom_text_xml(), ts=NOW_TS + 3600)
    return "POST", "/wechat/wecom", {"params": query, "data": body}


def wecom_junk_ciphertext():
    junk = "QUJDREVGR0hJSktMTU5PUA=="  # valid base64, 16 bytes: not a WXBizMsgCrypt block
    return "POST", "/wechat/wecom", {"params": signed_query(junk), "data": envelope(junk)}


def wecom_not_base64_ciphertext():
    junk = "%%%not-base64%%%"
    return "POST", "/wechat/wecom", {"params": signed_query(junk), "data": envelope(junk)}


def wecom_wrong_corp_id():
    query, body = encrypted_post(wecom_text_xml(), receive_id="wwSomeOtherCorp")
    return "POST", "/wechat/wecom", {"params": query, "data": body}


def wecom_oversized_body():
    return "POST", "/wechat/wecom", {"params": signed_query("x"), "data": b"<xml>" + b"A" * 5000 + b"</xml>"}


def wecom_oversized_chunked_body():
    async def chunks():
        for _ in range(10):
            yield b"A" * 1000
    return "POST", "/wechat/wecom", {"params": signed_query("x"), "data": chunks()}


def wecom_malformed_xml():
    return "POST", "/wechat/wecom", {"params": signed_query("x"), "data": b"<xml><Encrypt>abc</Enc"}


def wecom_billion_laughs():
    return "POST", "/wechat/wecom", {"params": signed_query("x"), "data": LAUGHS.encode()}


def wecom_system_entity_inside_ciphertext():
    query, body = encrypted_post(SYSTEM_ENTITY)
    return "POST", "/wechat/wecom", {"params": query, "data": body}


def wecom_missing_params():
    query, body = encrypted_post(wecom_text_xml())
    return "POST", "/wechat/wecom", {"params": {"timestamp": query["timestamp"]}, "data": body}


def wecom_bad_timestamp():
    query, body = encrypted_post(wecom_text_xml())
    return "POST", "/wechat/wecom", {"params": {**query, "timestamp": "yesterday"}, "data": body}


def wecom_get_forged():
    query, echostr = encrypt_only("123", receive_id=CORP_ID)
    return "GET", "/wechat/wecom", {"params": {**query, "echostr": echostr, "nonce": "forged"}}


def wecom_get_missing_echostr():
    return "GET", "/wechat/wecom", {"params": signed_query("x")}


def wecom_bad_message_fields():
    xml = wecom_text_xml().replace(f"<CreateTime>{NOW_TS}</CreateTime>", "<CreateTime>soon</CreateTime>")
    query, body = encrypted_post(xml)
    return "POST", "/wechat/wecom", {"params": query, "data": body}


def aibot_not_json():
    return "POST", "/wechat/aibot", {"params": signed_query("x"), "data": b"{not json"}


def aibot_json_array():
    return "POST", "/wechat/aibot", {"params": signed_query("x"), "json": ["encrypt"]}


def aibot_missing_encrypt():
    return "POST", "/wechat/aibot", {"params": signed_query("x"), "json": {"Encrypt": "x"}}


def aibot_decrypts_to_non_json():
    query, encrypt = encrypt_only("<xml>not json</xml>", receive_id="")
    return "POST", "/wechat/aibot", {"params": query, "json": {"encrypt": encrypt}}


def aibot_missing_sender():
    payload = aibot_payload()
    del payload["from"]
    query, encrypt = encrypt_only(json.dumps(payload), receive_id="")
    return "POST", "/wechat/aibot", {"params": query, "json": {"encrypt": encrypt}}


def aibot_encrypted_for_a_corp_id():
    query, encrypt = encrypt_only(json.dumps(aibot_payload()), receive_id=CORP_ID)
    return "POST", "/wechat/aibot", {"params": query, "json": {"encrypt": encrypt}}


def mp_plain_forged_signature():
    query = {"signature": "f" * 40, "timestamp": str(NOW_TS), "nonce": "1"}
    return "POST", "/wechat/mp", {"params": query, "data": wecom_text_xml().encode()}


def mp_plain_system_entity():
    ts, nonce = str(NOW_TS), "1"
    query = {"signature": sha1_signature(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce}
    return "POST", "/wechat/mp", {"params": query, "data": SYSTEM_ENTITY.encode()}


def mp_get_stale():
    ts, nonce = str(NOW_TS - 1000), "1"
    query = {"signature": sha1_signature(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "echostr": "1"}
    return "GET", "/wechat/mp", {"params": query}


def bridge_forged_signature():
    headers, body = signed_bridge(bridge_event(), secret="not-the-secret")
    return "POST", "/bridge", {"headers": headers, "data": body}


def bridge_tampered_body():
    headers, body = signed_bridge(bridge_event())
    return "POST", "/bridge", {"headers": headers, "data": body.replace("楼道".encode(), "地下".encode())}


def bridge_stale():
    headers, body = signed_bridge(bridge_event(), ts=NOW_TS - 400)
    return "POST", "/bridge", {"headers": headers, "data": body}


def bridge_missing_headers():
    return "POST", "/bridge", {"data": json.dumps(bridge_event()).encode()}


def bridge_malformed_json():
    headers, body = signed_bridge(b"{\"v\": 1,")
    return "POST", "/bridge", {"headers": headers, "data": body}


def bridge_missing_talker():
    headers, body = signed_bridge(bridge_event(talker=None))
    return "POST", "/bridge", {"headers": headers, "data": body}


def bridge_room_not_object():
    headers, body = signed_bridge(bridge_event(room="R:1"))
    return "POST", "/bridge", {"headers": headers, "data": body}


CASES = {
    wecom_forged_signature: 403, wecom_stale_timestamp: 403, wecom_future_timestamp: 403,
    wecom_junk_ciphertext: 400, wecom_not_base64_ciphertext: 400, wecom_wrong_corp_id: 403,
    wecom_oversized_body: 413, wecom_oversized_chunked_body: 413, wecom_malformed_xml: 400,
    wecom_billion_laughs: 400, wecom_system_entity_inside_ciphertext: 400, wecom_missing_params: 400,
    wecom_bad_timestamp: 400, wecom_get_forged: 403, wecom_get_missing_echostr: 400,
    wecom_bad_message_fields: 400, aibot_not_json: 400, aibot_json_array: 400, aibot_missing_encrypt: 400,
    aibot_decrypts_to_non_json: 400, aibot_missing_sender: 400, aibot_encrypted_for_a_corp_id: 403,
    mp_plain_forged_signature: 403, mp_plain_system_entity: 403,  # plain mode with an aes_key set: refused before parsing
    mp_get_stale: 403,
    bridge_forged_signature: 403, bridge_tampered_body: 403, bridge_stale: 403, bridge_missing_headers: 400,
    bridge_malformed_json: 400, bridge_missing_talker: 400, bridge_room_not_object: 400,
}


@pytest.mark.parametrize(("build", "status"), list(CASES.items()), ids=[f.__name__ for f in CASES])
async def test_refused_with_clear_4xx_and_nothing_accepted(callbacks, recorder, caplog, build, status):
    method, path, kwargs = build()
    resp = await callbacks.request(method, path, **kwargs)
    assert resp.status == status
    assert (await resp.json())["error"]
    assert recorder.messages == []
    assert any("refused" in r.getMessage() for r in caplog.records)


async def test_unregistered_method_is_405(callbacks):
    assert (await callbacks.put("/wechat/wecom")).status == 405
    assert (await callbacks.get("/bridge")).status == 405
