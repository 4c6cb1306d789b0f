"""Official Account: with an AES key set, plain mode (whose signature does not cover the body) is refused; and
no callback secret (signature, msg_signature, echostr, nonce, timestamp, tokens) reaches the access log."""
from __future__ import annotations

import logging

from aiohttp.test_utils import TestClient, TestServer

from bot.channels.mp import MpCallback
from bot.channels.wechat.security import sha1_signature
from bot.web.access_log import RedactingAccessLogger
from tests.bot.channels.conftest import build_app
from tests.bot.channels.helpers import CORP_ID, NOW_TS, TOKEN, encrypted_post, wecom_text_xml

PLAIN = wecom_text_xml(sender="oResident1", content="我要举报诈骗电话", msg_id="88")


def plain_query(nonce: str = "77") -> dict:
    ts = str(NOW_TS)
    return {"signature": sha1_signature(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce}


async def test_with_an_aes_key_a_correctly_signed_plain_mode_post_is_refused(callbacks, recorder):
    resp = await callbacks.post("/wechat/mp", params=plain_query(), data=PLAIN.encode())
    assert resp.status == 403 and "encrypt_type=aes" in (await resp.json())["error"]
    resp = await callbacks.post("/wechat/mp", params={**plain_query(), "encrypt_type": "raw"}, data=PLAIN.encode())
    assert resp.status == 403
    assert recorder.messages == []
    query, body = encrypted_post(PLAIN)  # safe mode still works
    resp = await callbacks.post("/wechat/mp", params={**query, "encrypt_type": "aes"}, data=body.encode())
    assert resp.status == 200 and len(recorder.messages) == 1


async def test_without_an_aes_key_plain_mode_is_accepted(aiohttp_client, clock, recorder):
    client = await aiohttp_client(build_app(recorder, mp=MpCallback(token=TOKEN, app_id=CORP_ID, clock=clock)))
    resp = await client.post("/wechat/mp", params=plain_query(), data=PLAIN.encode())
    assert resp.status == 200 and [m.sender_id for m in recorder.messages] == ["oResident1"]


async def test_callback_secrets_are_redacted_from_the_access_log(clock, recorder, caplog):
    app = build_app(recorder, mp=MpCallback(token=TOKEN, app_id=CORP_ID, clock=clock,
                                            aes_key="jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"))
    server = TestServer(app)
    await server.start_server(access_log_class=RedactingAccessLogger)  # as `gridbot serve` runs the app
    client = TestClient(server)
    await client.start_server()
    try:
        with caplog.at_level(logging.INFO, logger="aiohttp.access"):
            query = {**plain_query(nonce="NONCE-SECRET-1"), "echostr": "ECHO-SECRET-2"}
            assert (await client.get("/wechat/mp", params=query)).status == 200
            post_query, body = encrypted_post(PLAIN, nonce="NONCE-SECRET-3")
            await client.post("/wechat/mp", params={**post_query, "encrypt_type": "aes", "token": "TOKEN-SECRET-4"},
                              data=body.encode())
            await client.get("/wechat/mp/" + "9" * 6_000)
    finally:
        await client.close()
    lines = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert len(lines) == 3
    logged = "\n".join(lines)
    secrets = ("NONCE-SECRET", "ECHO-SECRET", "TOKEN-SECRET", query["signature"], post_query["msg_signature"],
               str(NOW_TS))
    assert not [s for s in secrets if s in logged], logged
    assert "signature=<redacted>" in lines[0] and "echostr=<redacted>" in lines[0] and "encrypt_type=aes" in lines[1]
    assert max(len(line) for line in lines) < 1000  # a 6 KB path is cut
