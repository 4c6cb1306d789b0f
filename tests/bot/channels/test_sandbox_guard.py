"""The sandbox is no back door: off unless switched on, behind its own token next to a real channel (else the bot
refuses to start and says why), and its sent-log masked like every other view."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot import cli
from bot.app import create_app
from bot.config import ConfigError, parse_config
from storage.db import session as new_session
from storage.models import Outbox
from tests.factories import SANDBOX_TOKEN, demo_raw, make_config

BRIDGE = {"enabled": True, "secret": "bridge-secret", "outbound_url": "http://127.0.0.1:9/outbound"}
MESSAGE = {"group_id": "grid-1", "sender_id": "officer-1", "text": "/help"}


async def _client(config, clock, engine) -> TestClient:  # noqa: ANN001
    client = TestClient(TestServer(create_app(config, clock=clock, engine=engine, background=False)))
    await client.start_server()
    return client


def test_the_demo_config_switches_the_sandbox_on():
    assert make_config().channels["sandbox"] == {"enabled": True}


async def test_without_enabled_the_sandbox_is_not_mounted(clock, engine):
    client = await _client(make_config(sandbox={}), clock, engine)
    try:
        for method, path in (("POST", "/sandbox/messages"), ("GET", "/sandbox/sent"), ("GET", "/sandbox")):
            assert (await client.request(method, path, json=MESSAGE)).status in (404, 405), path
    finally:
        await client.close()


def test_a_real_channel_next_to_the_sandbox_without_a_token_is_refused():
    raw = demo_raw()
    raw["bridge"] = BRIDGE
    with pytest.raises(ConfigError) as caught:
        parse_config(raw, environ={})
    assert any(line.startswith("sandbox.token: required") and "bridge" in line and "沙盒" in line
               for line in caught.value.errors)
    raw["sandbox"] = {"enabled": False}
    assert parse_config(raw, environ={}).channels["sandbox"] == {"enabled": False}  # no sandbox: no token needed
    raw["sandbox"] = {"enabled": True, "token": "short"}
    with pytest.raises(ConfigError, match="sandbox.token"):
        parse_config(raw, environ={})


@pytest.mark.parametrize("command", ["check-config", "serve"])
def test_check_config_and_serve_say_why_they_refuse(tmp_path, capsys, command):
    text = (cli.Path(cli.DEFAULT_CONFIG).read_text(encoding="utf-8")
            + '\n[bridge]\nenabled = true\nsecret = "s"\noutbound_url = "http://127.0.0.1:9/o"\n')
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    assert cli.main([command, "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "sandbox.token: required when the sandbox runs together with a real channel (bridge)" in err
    assert "演示沙盒与真实渠道同时开启时必须设置沙盒令牌" in err


async def test_next_to_a_real_channel_every_sandbox_call_needs_the_token(clock, engine):
    client = await _client(make_config(bridge=BRIDGE), clock, engine)  # make_config adds the test token
    try:
        for headers in ({}, {"X-Sandbox-Token": "wrong-token-0123456789"}, {"Authorization": "Bearer nope"},
                        {"X-Sandbox-Token": SANDBOX_TOKEN[:-1]}):
            assert (await client.post("/sandbox/messages", json=MESSAGE, headers=headers)).status == 401
            for path in ("/sandbox/sent", "/sandbox/directory", "/sandbox/received?chat_id=grid-1"):
                resp = await client.get(path, headers=headers)
                assert resp.status == 401 and "error" in await resp.json(), path
        assert (await client.post("/sandbox/messages", json=MESSAGE,
                                  headers={"X-Sandbox-Token": SANDBOX_TOKEN})).status == 200
        assert (await client.get("/sandbox/sent", headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"})).status == 200
        page = await client.get("/sandbox")  # the static page holds no data; it sends the token it is given
        assert page.status == 200 and "X-Sandbox-Token" in await page.text()
    finally:
        await client.close()


async def test_the_sent_log_is_masked_like_every_other_view(bot, engine):
    await bot.talk("grid-2", "resident-1",
                   "楼上天天半夜装修 吵得孩子睡不着 8栋2单元 我电话13812345678 身份证110101199003071234")
    sent = await bot.talk("officer-2", "officer-2", "/case 1", direct=True)
    with new_session(engine) as session:  # the card itself, as delivered to the officer, carries the raw values
        assert any("13812345678" in row.text for row in session.exec(select(Outbox)))
    shown = " ".join(m["text"] for m in await bot.sent())
    assert sent and "13812345678" not in shown and "110101199003071234" not in shown
    assert "138****5678" in shown


async def test_the_sent_log_shows_a_group_what_the_group_read(bot):
    """A group message is public: the log shows it whole, the station's phone in an answer included."""
    await bot.talk("grid-1", "resident-1", "派出所几点上班？")
    to_group = [m["text"] for m in await bot.sent("grid-1")]
    assert to_group and any("0571-00000000" in text for text in to_group)
