"""The body caps hold for chunked bodies too (no Content-Length to refuse up front): every callback stops
reading past its cap and answers 413, and so do the API routes."""
from __future__ import annotations

import pytest

from tests.bot.web.test_case_api import token_for
from tests.factories import SANDBOX_HEADERS


async def chunks(total: int, size: int = 16 * 1024):  # noqa: ANN201
    sent = 0
    while sent < total:
        yield b"x" * size
        sent += size


@pytest.mark.parametrize("path", ["/wechat/wecom", "/wechat/aibot", "/wechat/mp", "/bridge"])
async def test_a_chunked_body_over_the_cap_is_refused(callbacks, recorder, path):
    resp = await callbacks.post(path, params={"msg_signature": "0", "signature": "0", "timestamp": "1793581200",
                                              "nonce": "1", "encrypt_type": "aes"},
                                data=chunks(200 * 1024), headers={"X-Bridge-Timestamp": "1793581200",
                                                                  "X-Bridge-Signature": "0"})
    assert resp.status == 413 and "larger than" in (await resp.json())["error"]
    assert recorder.messages == []


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("path", ["/api/cases", "/api/dissuasions", "/sandbox/messages"])
async def test_a_chunked_body_over_the_app_cap_is_refused(bot, path, clock):
    bot.app_now = clock.now
    size = 13 * 1024 * 1024 if path.startswith("/sandbox") else 300 * 1024  # the sandbox takes images
    resp = await bot.client.post(path, data=chunks(size, 256 * 1024),
                                 headers={"Authorization": f"Bearer {token_for(bot, 'officer-2')}",
                                          "Content-Type": "application/json", **SANDBOX_HEADERS})
    assert resp.status == 413
