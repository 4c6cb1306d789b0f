"""The example bridge gateway (docs/examples/bridge-outbound.mjs) delivers each idempotency key at most once:
across repeats, concurrent repeats, and a SIGKILL with a restart (its delivered keys are kept on disk). The real
module runs under Node with a stand-in for WeChat (tests/fakes/gateway_harness.mjs)."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import shutil
import socket
import time
from pathlib import Path

import aiohttp
import pytest

HARNESS = Path(__file__).resolve().parents[2] / "fakes" / "gateway_harness.mjs"
SECRET = "gateway-test-secret"
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")


class Gateway:
    def __init__(self, folder: Path) -> None:
        self.log, self.deliveries = folder / "delivered-keys.jsonl", folder / "deliveries.txt"
        self.proc: asyncio.subprocess.Process | None = None
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            "node", str(HARNESS), str(self.port), str(self.log), str(self.deliveries),
            env={"GRIDBOT_BRIDGE_SECRET": SECRET, "PATH": "/usr/bin:/bin"},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        assert "outbound webhook on" in await self.line()

    async def line(self) -> str:
        return (await asyncio.wait_for(self.proc.stdout.readline(), timeout=20)).decode()

    async def kill(self) -> str:
        """SIGKILL; returns what it wrote to stderr."""
        self.proc.kill()
        await self.proc.wait()
        return (await self.proc.stderr.read()).decode()

    async def post(self, http: aiohttp.ClientSession, key: str, chat: str = "R:1@chatroom", *,
                   secret: str = SECRET) -> tuple[int, dict]:
        body = json.dumps({"idempotency_key": key, "chat_id": chat, "is_direct": False, "text": "已收到",
                           "mention_ids": []}, ensure_ascii=False).encode()
        ts = str(int(time.time()))
        signature = hmac.new(secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
        async with http.post(f"http://127.0.0.1:{self.port}/outbound", data=body, headers={
                "X-Bridge-Timestamp": ts, "X-Bridge-Signature": signature}) as resp:
            return resp.status, await resp.json()

    def delivered(self) -> list[str]:
        return self.deliveries.read_text().split() if self.deliveries.exists() else []


@pytest.fixture
async def gateway(tmp_path):  # noqa: ANN001, ANN201
    gw = Gateway(tmp_path)
    await gw.start()
    yield gw
    if gw.proc.returncode is None:
        await gw.kill()


async def test_a_key_delivered_before_a_sigkill_is_not_delivered_again_after_the_restart(gateway):
    async with aiohttp.ClientSession() as http:
        assert await gateway.post(http, "outbox-1") == (200, {"ok": True})
        assert await gateway.post(http, "outbox-1") == (200, {"ok": True, "duplicate": True})
        await gateway.kill()
        await gateway.start()
        assert await gateway.post(http, "outbox-1") == (200, {"ok": True, "duplicate": True})
        assert await gateway.post(http, "outbox-2") == (200, {"ok": True})
    assert gateway.delivered() == ["outbox-1", "outbox-2"]


async def test_repeats_arriving_during_the_delivery_share_it(gateway):
    async with aiohttp.ClientSession() as http:
        answers = await asyncio.gather(*(gateway.post(http, "outbox-7") for _ in range(5)))
    assert [status for status, _ in answers] == [200] * 5 and all(a["ok"] for _, a in answers)
    assert gateway.delivered() == ["outbox-7"]


async def test_a_failed_delivery_is_tried_again_and_an_unknown_room_refused(gateway):
    async with aiohttp.ClientSession() as http:
        assert (await gateway.post(http, "outbox-3", "flaky-1"))[0] == 503  # gridbot retries later
        await gateway.kill()
        await gateway.start()  # the failure is on disk too: the key is not taken for delivered
        assert (await gateway.post(http, "outbox-3", "flaky-1"))[0] == 503  # a fresh process: fails once more
        assert await gateway.post(http, "outbox-3", "flaky-1") == (200, {"ok": True})
        assert (await gateway.post(http, "outbox-4", "gone-1"))[0] == 404  # gridbot marks the row failed
        assert (await gateway.post(http, "outbox-5", secret="wrong"))[0] == 401
    assert gateway.delivered() == ["outbox-3"]


async def test_a_delivery_cut_off_by_a_crash_is_reported_and_not_repeated(gateway):
    async with aiohttp.ClientSession() as http:
        sending = asyncio.create_task(gateway.post(http, "outbox-9", "slow-1"))
        assert "delivering outbox-9" in await gateway.line()
        await gateway.kill()
        with pytest.raises(aiohttp.ClientError):
            await sending
        await gateway.start()
        assert await gateway.post(http, "outbox-9", "slow-1") == (200, {"ok": True, "duplicate": True})
    assert "outbox-9 was being delivered when the gateway stopped" in await gateway.kill()
    assert gateway.delivered() == []
