"""Fixtures shared by the tests under tests/bot: the fake WeChat API server on loopback."""
from __future__ import annotations

import pytest

from tests.fakes.wechat_api import FakeWechatApi


@pytest.fixture
async def fake_api():  # noqa: ANN201
    """The fake WeChat API server (WeCom, the AI bot, the official account, the bridge) on a loopback port."""
    fake = FakeWechatApi()
    await fake.start()
    yield fake
    await fake.close()
