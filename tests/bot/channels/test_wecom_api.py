"""The async WeCom/OA client against the fake API server on loopback."""
from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest

from bot.channels.base import PermanentFailure, TemporaryFailure
from bot.channels.wechat.api import ApiClient, ApiError, MemoryTokenStore
from tests.fakes.wechat_api import Fault

SEND = "/cgi-bin/message/send"
PAYLOAD = {"touser": "officer-1", "msgtype": "text", "agentid": 1, "text": {"content": "hi"}}


@pytest.fixture
async def session():  # noqa: ANN201
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def store() -> MemoryTokenStore:
    return MemoryTokenStore()


# the fake answers in milliseconds on loopback; a 0.2 s timeout ran out on gettoken on a loaded CI machine
@pytest.fixture
def client(session, fake_api, clock, store) -> ApiClient:  # noqa: ANN001
    return ApiClient.wecom(session, corp_id="wwfakecorp", secret="corp-secret", clock=clock, token_store=store,
                           api_base=fake_api.base_url, timeout=1.0)


async def test_token_is_fetched_once_and_cached(client, fake_api):
    await client.call(SEND, PAYLOAD)
    await client.call(SEND, PAYLOAD)
    assert len(fake_api.calls_to("/cgi-bin/gettoken")) == 1
    assert [c.query["access_token"] for c in fake_api.calls_to(SEND)] == ["token-1", "token-1"]
    assert fake_api.errors == []


async def test_token_refreshed_five_minutes_before_expiry(client, fake_api, clock):
    await client.call(SEND, PAYLOAD)
    clock.advance(timedelta(seconds=7200 - 299))
    await client.call(SEND, PAYLOAD)
    assert [c.query["access_token"] for c in fake_api.calls_to(SEND)] == ["token-1", "token-2"]


async def test_token_shared_through_the_store(session, fake_api, clock, store, client):
    await client.call(SEND, PAYLOAD)
    other = ApiClient.wecom(session, corp_id="wwfakecorp", secret="corp-secret", clock=clock, token_store=store,
                            api_base=fake_api.base_url)
    await other.call(SEND, PAYLOAD)
    assert len(fake_api.calls_to("/cgi-bin/gettoken")) == 1


@pytest.mark.parametrize("code", [42001, 40014, 40001])
async def test_rejected_token_is_refreshed_and_call_retried_once(client, fake_api, code):
    await client.call(SEND, PAYLOAD)
    fake_api.inject(SEND, Fault.errcode(code))
    await client.call(SEND, PAYLOAD)
    assert len(fake_api.calls_to("/cgi-bin/gettoken")) == 2
    assert [c.query["access_token"] for c in fake_api.calls_to(SEND)] == ["token-1", "token-1", "token-2"]


async def test_server_side_expiry_answers_42001_and_is_recovered(client, fake_api):
    await client.call(SEND, PAYLOAD)
    fake_api.expire_tokens()
    await client.call(SEND, PAYLOAD)
    assert len(fake_api.calls_to(SEND)) == 3


async def test_token_rejected_twice_is_temporary(client, fake_api):
    fake_api.inject(SEND, Fault.errcode(42001), Fault.errcode(42001))
    with pytest.raises(TemporaryFailure):
        await client.call(SEND, PAYLOAD)


@pytest.mark.parametrize(("code", "retry_after"), [(45009, 65.0), (45033, 5.0), (-1, 2.0)])
async def test_rate_and_busy_errcodes_are_temporary_with_retry_after(client, fake_api, code, retry_after):
    fake_api.inject(SEND, Fault.errcode(code))
    with pytest.raises(TemporaryFailure) as info:
        await client.call(SEND, PAYLOAD)
    assert info.value.retry_after == retry_after


@pytest.mark.parametrize("fault", [Fault.http(500), Fault.http(502), Fault.hang(), Fault.drop()],
                         ids=["500", "502", "timeout", "dropped"])
async def test_server_and_network_failures_are_temporary(client, fake_api, fault):
    await client.access_token()
    fake_api.inject(SEND, fault)
    with pytest.raises(TemporaryFailure):
        await client.call(SEND, PAYLOAD)


@pytest.mark.parametrize("code", [40003, 60020, 86008, 81013])
async def test_other_errcodes_are_permanent_with_code_and_message(client, fake_api, code):
    fake_api.inject(SEND, Fault.errcode(code))
    with pytest.raises(ApiError) as info:
        await client.call(SEND, PAYLOAD)
    assert info.value.errcode == code and str(code) in str(info.value)
    assert isinstance(info.value, PermanentFailure)


async def test_wrong_secret_is_permanent(session, fake_api, clock):
    bad = ApiClient.wecom(session, corp_id="wwfakecorp", secret="wrong", clock=clock, api_base=fake_api.base_url)
    with pytest.raises(PermanentFailure, match="secret"):
        await bad.call(SEND, PAYLOAD)


async def test_mp_client_uses_cgi_bin_token(session, fake_api, clock):
    mp = ApiClient.mp(session, app_id="wxfakeapp", secret="mp-secret", clock=clock, api_base=fake_api.base_url)
    await mp.call("/cgi-bin/message/custom/send", {"touser": "o1", "msgtype": "text", "text": {"content": "x"}})
    [token_call] = fake_api.calls_to("/cgi-bin/token")
    assert token_call.query["grant_type"] == "client_credential"


async def test_fake_fails_loudly_on_unknown_path(client, fake_api):
    with pytest.raises(PermanentFailure, match="404"):
        await client.call("/cgi-bin/nonexistent", {})
    assert fake_api.errors == ["unexpected POST /cgi-bin/nonexistent"]
