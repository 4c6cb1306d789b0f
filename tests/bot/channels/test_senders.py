"""Senders deliver outbox rows to the fake WeChat API server on loopback."""
from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest

from bot.channels.aibot import AibotSender
from bot.channels.base import OutboundMessage, PermanentFailure, TemporaryFailure
from bot.channels.bridge import BridgeSender
from bot.channels.kit.text_split import utf8_len
from bot.channels.mp import MpSender
from bot.channels.wechat.api import ApiClient
from bot.channels.wecom import WecomAppSender
from tests.fakes.wechat_api import Fault

WEBHOOK = "/cgi-bin/webhook/send"
RESPONSE = "/cgi-bin/aibot/response"


def make_message(chat_id: str = "wrGRID1", text: str = "已收到，工单号 12", *, channel: str = "aibot",
                 is_direct: bool = False, key: str = "outbox-1", **kwargs: object) -> OutboundMessage:
    return OutboundMessage(id=1, channel=channel, chat_id=chat_id, text=text, idempotency_key=key,
                           is_direct=is_direct, **kwargs)


@pytest.fixture
async def session():  # noqa: ANN201
    async with aiohttp.ClientSession() as session:
        yield session


# 1 s: the fake answers in milliseconds on loopback, but 0.2 s ran out on a loaded CI machine
@pytest.fixture
def wecom(session, fake_api, clock) -> WecomAppSender:  # noqa: ANN001
    client = ApiClient.wecom(session, corp_id="wwfakecorp", secret="corp-secret", clock=clock,
                             api_base=fake_api.base_url, timeout=1.0)
    return WecomAppSender(client, agent_id=1000002, clock=clock)


@pytest.fixture
def aibot(session, fake_api, clock) -> AibotSender:  # noqa: ANN001
    return AibotSender(session, clock=clock, webhook_keys={"wrGRID1": "robot-key-1"},
                       api_base=fake_api.base_url, timeout=1.0)


async def test_wecom_direct_text_goes_to_message_send_with_duplicate_check(wecom, fake_api):
    await wecom.send(make_message("officer-1", "案件12已指派给您", channel="wecom", is_direct=True))
    [call] = fake_api.calls_to("/cgi-bin/message/send")
    assert call.body["touser"] == "officer-1" and call.body["agentid"] == 1000002
    assert call.body["text"] == {"content": "案件12已指派给您"}
    assert call.body["enable_duplicate_check"] == 1 and call.body["duplicate_check_interval"] == 1800
    assert fake_api.errors == []


async def test_wecom_group_text_goes_to_appchat_send(wecom, fake_api):
    await wecom.send(make_message("grid1chat", "周五调解议程", channel="wecom"))
    [call] = fake_api.calls_to("/cgi-bin/appchat/send")
    assert call.body == {"chatid": "grid1chat", "msgtype": "text", "text": {"content": "周五调解议程"}, "safe": 0}


async def test_wecom_42001_refreshes_token_and_retries_once(wecom, fake_api):
    await wecom.send(make_message("officer-1", "一", channel="wecom", is_direct=True))
    fake_api.inject("/cgi-bin/message/send", Fault.errcode(42001))
    await wecom.send(make_message("officer-1", "二", channel="wecom", is_direct=True, key="outbox-2"))
    assert len(fake_api.calls_to("/cgi-bin/gettoken")) == 2
    assert [c.body["text"]["content"] for c in fake_api.calls_to("/cgi-bin/message/send")] == ["一", "二", "二"]


async def test_wecom_member_limit_30_per_minute(wecom, fake_api, clock):
    for i in range(30):
        await wecom.send(make_message("officer-1", f"第{i}条", channel="wecom", is_direct=True, key=f"k{i}"))
    with pytest.raises(TemporaryFailure) as info:
        await wecom.send(make_message("officer-1", "多一条", channel="wecom", is_direct=True, key="k30"))
    assert info.value.retry_after == pytest.approx(2.0)
    assert len(fake_api.calls_to("/cgi-bin/message/send")) == 30


async def test_wecom_unknown_member_is_permanent(wecom, fake_api):
    fake_api.inject("/cgi-bin/message/send", Fault.errcode(40003))
    with pytest.raises(PermanentFailure, match="40003"):
        await wecom.send(make_message("ghost", "x", channel="wecom", is_direct=True))


async def test_aibot_replies_once_through_fresh_response_url(aibot, fake_api, clock):
    url = f"{fake_api.base_url}{RESPONSE}?response_code=RC1"
    hint = {"response_url": url, "response_url_expires_at": (clock.now() + timedelta(minutes=55)).isoformat()}
    await aibot.send(make_message(reply_hint=hint))
    await aibot.send(make_message(reply_hint=hint, key="outbox-2", text="第二条"))  # url already used
    [call] = fake_api.calls_to(RESPONSE)
    assert call.body == {"msgtype": "markdown", "markdown": {"content": "已收到，工单号 12"}}
    assert [c.body["text"]["content"] for c in fake_api.calls_to(WEBHOOK)] == ["第二条"]


async def test_aibot_expired_response_url_falls_back_to_webhook(aibot, fake_api, clock):
    hint = {"response_url": f"{fake_api.base_url}{RESPONSE}?response_code=RC",
            "response_url_expires_at": (clock.now() - timedelta(seconds=1)).isoformat()}
    await aibot.send(make_message(reply_hint=hint, mentions=("zhangsan",)))
    assert fake_api.calls_to(RESPONSE) == []
    [call] = fake_api.calls_to(WEBHOOK)
    assert call.query == {"key": "robot-key-1"}
    assert call.body["text"] == {"content": "已收到，工单号 12", "mentioned_list": ["zhangsan"]}


async def test_aibot_response_url_on_foreign_host_is_not_called(aibot, fake_api):
    await aibot.send(make_message(reply_hint={"response_url": "http://169.254.169.254/latest"}))
    assert len(fake_api.calls_to(WEBHOOK)) == 1 and fake_api.errors == []


async def test_aibot_without_route_is_permanent(aibot, fake_api):
    with pytest.raises(PermanentFailure, match="no route"):
        await aibot.send(make_message("zhangsan", is_direct=True))
    assert fake_api.calls == []


async def test_group_robot_over_20_per_minute_is_temporary_without_calling_server(aibot, fake_api, clock):
    for i in range(20):
        await aibot.send(make_message(key=f"k{i}"))
    with pytest.raises(TemporaryFailure) as info:
        await aibot.send(make_message(key="k20"))
    assert info.value.retry_after == pytest.approx(3.0)
    assert len(fake_api.calls_to(WEBHOOK)) == 20
    clock.advance(timedelta(seconds=3))
    await aibot.send(make_message(key="k20"))
    assert len(fake_api.calls_to(WEBHOOK)) == 21


@pytest.mark.parametrize(("fault", "retry_after"), [(Fault.errcode(45009), 65.0), (Fault.http(500), None),
                                                    (Fault.hang(), None), (Fault.drop(), None)],
                         ids=["45009", "500", "timeout", "dropped"])
async def test_webhook_failures_are_temporary(aibot, fake_api, fault, retry_after):
    fake_api.inject(WEBHOOK, fault)
    with pytest.raises(TemporaryFailure) as info:
        await aibot.send(make_message())
    assert info.value.retry_after == retry_after


async def test_webhook_unknown_errcode_is_permanent(aibot, fake_api):
    fake_api.inject(WEBHOOK, Fault.errcode(93000))
    with pytest.raises(PermanentFailure, match="93000"):
        await aibot.send(make_message())


async def test_long_text_goes_out_in_byte_limited_numbered_parts(aibot, fake_api):
    text = "\n".join(f"{i}. 近期冒充公检法诈骗高发，民警不会要求转账到安全账户。" for i in range(80))
    await aibot.send(make_message(text=text, mentions=("zhangsan",)))
    calls = fake_api.calls_to(WEBHOOK)
    contents = [c.body["text"]["content"] for c in calls]
    assert len(contents) > 1 and all(utf8_len(c) <= 2048 for c in contents)
    assert contents[0].startswith(f"(1/{len(contents)}) ")
    assert "mentioned_list" in calls[0].body["text"] and "mentioned_list" not in calls[1].body["text"]


async def test_retry_after_a_failed_part_skips_parts_already_sent(aibot, fake_api):
    text = "\n".join(f"第{i}行：注意防火防盗，保管好个人信息。" for i in range(100))
    fake_api.inject(WEBHOOK, Fault.errcode(0), Fault.http(502))
    with pytest.raises(TemporaryFailure):
        await aibot.send(make_message(text=text))
    await aibot.send(make_message(text=text))
    contents = [c.body["text"]["content"] for c in fake_api.calls_to(WEBHOOK)]
    total = int(contents[0].split("/")[1].split(")")[0])
    labels = [c.split(" ", 1)[0] for c in contents]
    assert labels == ["(1/%d)" % total, "(2/%d)" % total] + [f"({i}/{total})" for i in range(2, total + 1)]
    assert len(contents) == total + 1  # part 2 was tried twice, part 1 once


async def test_mp_customer_service_message_and_48h_window(session, fake_api, clock):
    client = ApiClient.mp(session, app_id="wxfakeapp", secret="mp-secret", clock=clock, api_base=fake_api.base_url)
    sender = MpSender(client, clock=clock)
    await sender.send(make_message("oResident1", "您反映的问题已转交民警", channel="mp", is_direct=True))
    [call] = fake_api.calls_to("/cgi-bin/message/custom/send")
    assert call.body == {"touser": "oResident1", "msgtype": "text", "text": {"content": "您反映的问题已转交民警"}}
    fake_api.inject("/cgi-bin/message/custom/send", Fault.errcode(45015))
    with pytest.raises(PermanentFailure, match="outside 48h window"):
        await sender.send(make_message("oResident1", "x", channel="mp", is_direct=True, key="k2"))


async def test_bridge_sender_posts_signed_json_with_idempotency_key(session, fake_api, clock):
    sender = BridgeSender(session, outbound_url=f"{fake_api.base_url}/bridge/outbound", secret="bridge-secret",
                          clock=clock, per_chat_limit=2)
    msg = make_message("R:1069", "请大家注意", channel="bridge", mentions=("wxid_zhang",), key="ob-9")
    await sender.send(msg)
    [call] = fake_api.calls_to("/bridge/outbound")
    assert call.body == {"idempotency_key": "ob-9", "chat_id": "R:1069", "is_direct": False,
                         "text": "请大家注意", "mention_ids": ["wxid_zhang"]}
    await sender.send(msg)
    with pytest.raises(TemporaryFailure):
        await sender.send(msg)


async def test_bridge_sender_wrong_secret_is_permanent(session, fake_api, clock):
    sender = BridgeSender(session, outbound_url=f"{fake_api.base_url}/bridge/outbound", secret="wrong", clock=clock)
    with pytest.raises(PermanentFailure, match="401"):
        await sender.send(make_message(channel="bridge"))
