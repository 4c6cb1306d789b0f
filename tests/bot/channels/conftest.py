from __future__ import annotations

import pytest
from aiohttp import web

from bot.channels.aibot import AibotCallback
from bot.channels.base import adapter_routes, mount
from bot.channels.bridge import BridgeCallback
from bot.channels.mp import MpCallback
from bot.channels.wecom import WecomCallback
from tests.bot.channels.helpers import AES_KEY, BRIDGE_SECRET, CORP_ID, TOKEN, Recorder


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def build_app(recorder: Recorder, **adapters: object) -> web.Application:
    app = web.Application()
    mount(app, [route for adapter in adapters.values() for route in adapter_routes(adapter, recorder)])
    return app


@pytest.fixture
async def callbacks(aiohttp_client, clock, recorder):  # noqa: ANN001, ANN201
    """A client for an app with all four inbound channels, using the test credentials."""
    app = build_app(
        recorder,
        wecom=WecomCallback(token=TOKEN, aes_key=AES_KEY, corp_id=CORP_ID, clock=clock, max_body=4096),
        aibot=AibotCallback(token=TOKEN, aes_key=AES_KEY, clock=clock, bot_id="AIBOTID", max_body=4096),
        mp=MpCallback(token=TOKEN, aes_key=AES_KEY, app_id=CORP_ID, clock=clock, max_body=4096),
        bridge=BridgeCallback(secret=BRIDGE_SECRET, clock=clock, max_body=4096),
    )
    return await aiohttp_client(app)

