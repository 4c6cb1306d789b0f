"""Input the database cannot hold is cleaned or refused with a 4xx at every channel's edge, never stored to fail
(a 500, or a 503 the platform retries forever): NUL, lone surrogates, ids over ``MAX_ID`` characters."""
from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from bot.channels.base import ChannelError
from bot.channels.kit.inbound import MAX_ID, MAX_TEXT, clean_message, clean_text, short
from bot.keys import ENGINE
from handlers.message import GroupMessage
from storage.db import session as new_session
from storage.models import Message
from tests.bot.channels.helpers import (
    CORP_ID,
    NOW_TS,
    aibot_payload,
    at,
    bridge_event,
    encrypt_only,
    encrypted_post,
    signed_bridge,
    wecom_text_xml,
)
from tests.factories import make_config

LONG_ID = "9" * (MAX_ID + 1)
BRIDGE = {"enabled": True, "secret": "bridge-secret", "outbound_url": "http://127.0.0.1:9/outbound"}


def _msg(**fields: object) -> GroupMessage:
    base = {"channel": "sandbox", "chat_id": "grid-1", "sender_id": "resident-1", "text": "x",
            "channel_msg_id": "m1", "sent_at": at(NOW_TS)}
    return GroupMessage(**{**base, **fields})


@given(st.text(max_size=300))
def test_cleaned_text_always_encodes_and_holds_no_nul(text):
    cleaned = clean_text(text)
    cleaned.encode("utf-8")  # no lone surrogate left
    assert "\x00" not in cleaned and len(cleaned) <= MAX_TEXT
    assert clean_text(cleaned) == cleaned


@given(st.text(max_size=200), st.dictionaries(st.text(max_size=5), st.text(max_size=20), max_size=3))
def test_a_cleaned_message_is_storable_or_refused_with_a_400(text, hint):
    for msg_id in (text, "ok-id"):
        try:
            msg = clean_message(_msg(text=text, channel_msg_id=msg_id, reply_hint=hint, sender_name=text))
        except ChannelError as exc:
            assert exc.status == 400 and msg_id == text
            continue
        json.dumps([msg.text, msg.channel_msg_id, msg.sender_name, msg.reply_hint]).encode("utf-8")
        for value in (msg.text, msg.channel_msg_id, msg.sender_name, *msg.reply_hint, *msg.reply_hint.values()):
            assert "\x00" not in value
            value.encode("utf-8")


@pytest.mark.parametrize("field", ["channel_msg_id", "chat_id", "sender_id"])
@pytest.mark.parametrize("value", [LONG_ID, "a\x00b", "a\ud800", " ", "x\nb"])
def test_ids_over_the_limit_or_not_clean_are_refused(field, value):
    with pytest.raises(ChannelError) as caught:
        clean_message(_msg(**{field: value}))
    assert caught.value.status == 400


def test_logs_show_a_long_id_cut():
    assert short("9" * 10_000) == "9" * 80 + "…(10000 chars)" and short("m1") == "m1"


async def test_wecom_aibot_and_bridge_refuse_long_ids_before_accepting(callbacks, recorder):
    query, body = encrypted_post(wecom_text_xml(msg_id=LONG_ID))
    assert (await callbacks.post("/wechat/wecom", params=query, data=body.encode())).status == 400
    query, encrypt = encrypt_only(json.dumps(aibot_payload(msgid=LONG_ID)), receive_id="")
    assert (await callbacks.post("/wechat/aibot", params=query, json={"encrypt": encrypt})).status == 400
    headers, body = signed_bridge(bridge_event(talker={"id": LONG_ID, "name": "张三"}))
    assert (await callbacks.post("/bridge", data=body, headers=headers)).status == 400
    query, body = encrypted_post(wecom_text_xml(sender="o" * 200), receive_id=CORP_ID)
    resp = await callbacks.post("/wechat/mp", params={**query, "encrypt_type": "aes"}, data=body.encode())
    assert resp.status == 400
    assert recorder.messages == []


@pytest.fixture
def config():  # noqa: ANN201
    return make_config(bridge=BRIDGE)


def _stored(bot) -> list[Message]:  # noqa: ANN001
    with new_session(bot.app[ENGINE]) as session:
        return list(session.exec(select(Message).order_by(Message.id)))


async def test_sandbox_cleans_text_and_refuses_bad_ids_on_the_real_database(bot):
    body = b'{"group_id": "grid-1", "sender_id": "resident-1", "text": "\\u0000\\ud800 \xe6\xa5\xbc\xe9\x81\x93"}'
    resp = await bot.client.post("/sandbox/messages", data=body, headers={"Content-Type": "application/json",
                                                                          "X-Sandbox-Token": _token(bot)})
    assert resp.status == 200, await resp.text()
    for field, value in (("msg_id", "9" * 10_000), ("sender_id", "a\x00b"), ("group_id", "\ud800")):
        payload = {"group_id": "grid-1", "sender_id": "resident-1", "text": "楼道", field: value}
        resp = await bot.client.post("/sandbox/messages", data=json.dumps(payload),
                                     headers={"Content-Type": "application/json", "X-Sandbox-Token": _token(bot)})
        assert resp.status == 400, (field, resp.status)
    assert [m.text for m in _stored(bot)] == ["\ufffd 楼道"]
    await bot.step()
    assert _stored(bot)[0].handled_at is not None and _stored(bot)[0].error is None


async def test_bridge_refuses_a_10_kb_id_and_cleans_nul_on_the_real_database(bot):
    headers, body = signed_bridge(bridge_event(msg_id="9" * 10_000))
    assert (await bot.client.post("/bridge", data=body, headers=headers)).status == 400  # not a 503 retried forever
    event = bridge_event(msg_id="wx-nul", text="楼道\x00灯坏了", text_clean="楼道\x00灯坏了\ud800",
                         talker={"id": "wxid_zhang", "name": "张\x00三"})
    headers, body = signed_bridge(json.dumps(event).encode())  # JSON escapes carry NUL and the lone surrogate
    assert (await bot.client.post("/bridge", data=body, headers=headers)).status == 200
    stored = _stored(bot)
    assert [(m.channel_msg_id, m.text, m.sender_name) for m in stored] == [("wx-nul", "楼道灯坏了\ufffd", "张三")]


def _token(bot) -> str:  # noqa: ANN001
    from tests.factories import SANDBOX_TOKEN

    return SANDBOX_TOKEN
