"""Media are fetched after the message is stored, through each channel's media API, against the fake WeChat API
server: stored with a checksum, refused when too large or of the wrong type, failed for an expired media id,
retried while the API is failing."""
from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from sqlmodel import select

from bot.channels import aibot, bridge, mp, wecom
from bot.channels.base import SenderDeps
from bot.channels.wechat.api import MemoryTokenStore
from bot.media.store import LocalMediaStore
from bot.media.worker import MediaWorker
from bot.pipeline import media_values
from handlers.message import MediaRef
from storage import inbox
from storage import media as media_rows
from storage.db import session as new_session
from storage.models import Media, Message
from tests.bot.channels.helpers import AES_KEY, BRIDGE_SECRET
from tests.factories import make_config
from tests.fakes.images import HTML_ERROR_PAGE, make_jpeg, make_png, qr_png
from tests.fakes.wechat_api import Fault

pytestmark = pytest.mark.postgres
PNG = make_png()


@pytest.fixture
async def world(fake_api, engine, clock, tmp_path, qr_only_reader):  # noqa: ANN001, ANN201
    """A media worker whose channels all point at the fake API server; limits small enough to test."""
    base = fake_api.base_url
    config = make_config(
        wecom={"enabled": True, "corp_id": "wwfakecorp", "agent_id": "1000002", "secret": "corp-secret",
               "token": "t0ken", "aes_key": AES_KEY, "api_base": base},
        mp={"enabled": True, "app_id": "wxfakeapp", "secret": "mp-secret", "token": "t0ken", "api_base": base},
        media={"root": str(tmp_path / "media"), "max_bytes": {"image": 50_000, "voice": 20_000},
               "max_attempts": 3})
    async with aiohttp.ClientSession() as session:
        deps = SenderDeps(session=session, clock=clock, token_store=MemoryTokenStore(), config=config)
        settings = {name: module.CHANNEL.settings.model_validate(config.channels.get(name) or {})
                    for name, module in (("wecom", wecom), ("mp", mp))}
        fetchers = {"wecom": wecom.CHANNEL.media(settings["wecom"], deps), "mp": mp.CHANNEL.media(settings["mp"], deps),
                    "aibot": aibot.AibotMediaFetcher(session, aes_key=AES_KEY, timeout=5),
                    "bridge": bridge.BridgeMediaFetcher(session, secret=BRIDGE_SECRET, clock=clock, timeout=5)}
        worker = MediaWorker(engine=engine, executor=_Inline(), clock=clock, config=config,
                             store=LocalMediaStore(tmp_path / "media"), fetchers=fetchers, reader=qr_only_reader)
        yield World(worker, engine, fake_api, tmp_path / "media")


class _Inline:
    """An executor that runs the database work on the calling thread (the tests have one thread)."""

    def submit(self, fn, *args):  # noqa: ANN001, ANN201, ANN002
        from concurrent.futures import Future

        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True) -> None:  # noqa: ARG002
        return None


class World:
    def __init__(self, worker: MediaWorker, engine, fake, root: Path) -> None:  # noqa: ANN001
        self.worker, self.engine, self.fake, self.root = worker, engine, fake, root
        self._n = 0

    def message(self, channel: str, *refs: MediaRef, text: str = "") -> int:
        self._n += 1
        now = self.worker.clock.now()
        values = inbox.message_values(channel=channel, channel_msg_id=f"m{self._n}", chat_id="c", sender_id="s",
                                      text=text, sent_at=now, received_at=now, kind=refs[0].kind,
                                      media_pending=any(r.kind == "image" for r in refs))
        with self.engine.begin() as conn:
            message_id, _ = inbox.store_message(conn, values=values)
            media_rows.insert_media(conn, message_id=message_id,
                                    rows=[media_values(r, channel=channel, now=now) for r in refs])
        return message_id

    def rows(self, message_id: int) -> list[Media]:
        with new_session(self.engine) as session:
            return list(session.exec(select(Media).where(Media.message_id == message_id)).all())

    def msg(self, message_id: int) -> Message:
        with new_session(self.engine) as session:
            return session.get(Message, message_id)


async def test_wecom_image_is_fetched_with_the_token_stored_by_checksum_and_released(world):
    world.fake.add_media("MEDIA_1", PNG)
    message_id = world.message("wecom", MediaRef("image", "media_id", "MEDIA_1"))
    assert await world.worker.run_once() == 1
    [row] = world.rows(message_id)
    assert (row.state, row.content_type, row.size) == ("stored", "image/png", len(PNG))
    assert row.sha256 == hashlib.sha256(PNG).hexdigest() and (world.root / row.store_key).read_bytes() == PNG
    assert row.reading == "unavailable"  # this reader reads QR codes only
    assert world.msg(message_id).media_pending is False
    [call] = world.fake.calls_to("/cgi-bin/media/get")
    assert call.query["media_id"] == "MEDIA_1" and call.query["access_token"].startswith("token-")
    assert world.fake.errors == []


async def test_the_same_screenshot_twice_is_kept_once(world):
    world.fake.add_media("A", PNG)
    world.fake.add_media("B", PNG)
    first, second = world.message("wecom", MediaRef("image", "media_id", "A")), \
        world.message("mp", MediaRef("image", "media_id", "B"))
    await world.worker.run_once()
    assert world.rows(first)[0].store_key == world.rows(second)[0].store_key
    assert len([p for p in world.root.rglob("*") if p.is_file()]) == 1


@pytest.mark.parametrize("media_id,data,content_type,error", [
    ("BIG", b"\xff\xd8\xff" + b"0" * 60_000, "image/jpeg", "too large"),
    ("HTML", HTML_ERROR_PAGE, "text/html", "wrong type"),
    ("EXE", b"MZ\x90\x00" + b"\x00" * 100, "image/png", "wrong type"),
    ("EMPTY", b"", "image/png", "empty"),
])
async def test_too_large_or_wrong_type_is_refused_and_the_message_released(world, media_id, data, content_type,
                                                                          error):
    world.fake.add_media(media_id, data, content_type)
    message_id = world.message("wecom", MediaRef("image", "media_id", media_id))
    await world.worker.run_once()
    [row] = world.rows(message_id)
    assert row.state == "failed" and error in row.error and row.store_key == ""
    assert world.msg(message_id).media_pending is False  # the pipeline handles it: the officer is told
    assert not world.root.exists() or not any(p.is_file() for p in world.root.rglob("*"))


async def test_expired_media_id_fails_at_once_without_retrying(world):
    world.fake.expire_media("OLD")
    message_id = world.message("mp", MediaRef("voice", "media_id", "OLD", format="amr"))
    await world.worker.run_once()
    [row] = world.rows(message_id)
    assert row.state == "failed" and "40007" in row.error and "expired" in row.error and row.attempts == 1
    assert len(world.fake.calls_to("/cgi-bin/media/get")) == 1


@pytest.mark.parametrize("fault", [Fault.http(500), Fault.errcode(-1), Fault.http(429)])
async def test_failing_api_is_retried_later_then_succeeds(world, clock, fault):
    world.fake.add_media("FLAKY", PNG)
    world.fake.inject("/cgi-bin/media/get", fault)
    message_id = world.message("wecom", MediaRef("image", "media_id", "FLAKY"))
    await world.worker.run_once()
    [row] = world.rows(message_id)
    assert (row.state, row.attempts) == ("pending", 1) and row.next_attempt_at > clock.now()
    assert world.msg(message_id).media_pending is True  # still waiting: not handled without its words
    assert await world.worker.run_once() == 0  # not due yet
    clock.advance(timedelta(minutes=11))
    await world.worker.run_once()
    assert world.rows(message_id)[0].state == "stored" and world.msg(message_id).media_pending is False


async def test_api_failing_every_time_gives_up_after_max_attempts(world, clock):
    world.fake.add_media("DOWN", PNG)
    world.fake.inject("/cgi-bin/media/get", *[Fault.http(503)] * 5)
    message_id = world.message("wecom", MediaRef("image", "media_id", "DOWN"))
    for _ in range(3):
        await world.worker.run_once()
        clock.advance(timedelta(hours=1))
    [row] = world.rows(message_id)
    assert (row.state, row.attempts) == ("failed", 3) and "gave up" in row.error
    assert world.msg(message_id).media_pending is False


async def test_expired_access_token_is_refreshed_once(world):
    world.fake.add_media("M", PNG)
    world.message("wecom", MediaRef("image", "media_id", "M"))
    await world.worker.run_once()
    world.fake.expire_tokens()
    message_id = world.message("wecom", MediaRef("image", "media_id", "M"))
    await world.worker.run_once()
    assert world.rows(message_id)[0].state == "stored"
    assert len(world.fake.calls_to("/cgi-bin/gettoken")) == 2


async def test_oa_video_answered_with_a_video_url_is_followed(world):
    video = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200
    url = world.fake.add_file("v.mp4", video, "video/mp4")
    world.fake.media["VID"] = (f'{{"video_url":"{url}"}}'.encode(), "application/json")
    message_id = world.message("mp", MediaRef("video", "media_id", "VID"))
    await world.worker.run_once()
    [row] = world.rows(message_id)
    assert (row.state, row.content_type, row.size) == ("stored", "video/mp4", len(video))


def aibot_encrypt(data: bytes) -> bytes:
    key = base64.b64decode(AES_KEY + "=")
    pad = 32 - len(data) % 32
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return encryptor.update(data + bytes([pad]) * pad) + encryptor.finalize()


async def test_aibot_image_url_is_decrypted_with_the_bot_key(world):
    qr = qr_png("https://tk-refund.top/r?id=7")
    url = world.fake.add_file("enc.bin", aibot_encrypt(qr))
    message_id = world.message("aibot", MediaRef("image", "url", url))
    await world.worker.run_once()
    [row] = world.rows(message_id)
    assert row.state == "stored" and row.content_type == "image/png"
    assert row.qr_payloads == ["https://tk-refund.top/r?id=7"]


@pytest.mark.parametrize("setup,error", [
    (lambda fake: fake.gone_file("late.bin"), "expired"),
    (lambda fake: fake.add_file("plain.bin", make_jpeg()), "not encrypted with this bot's key"),
])
async def test_aibot_expired_or_unencrypted_url_fails(world, setup, error):
    message_id = world.message("aibot", MediaRef("image", "url", setup(world.fake)))
    await world.worker.run_once()
    [row] = world.rows(message_id)
    assert row.state == "failed" and error in row.error
    assert world.fake.errors == []


async def test_bridge_url_is_fetched_signed_and_inline_bytes_need_no_fetch(world):
    url = world.fake.add_file("voice.silk", b"\x02#!SILK_V3" + b"\x01" * 300)
    by_url = world.message("bridge", MediaRef("voice", "url", url))
    inline = world.message("bridge", MediaRef("image", "inline", data=PNG))
    await world.worker.run_once()
    assert world.rows(by_url)[0].content_type == "audio/silk"
    [call] = world.fake.calls_to("/files/voice.silk")
    assert call.headers["X-Bridge-Signature"] and call.headers["X-Bridge-Timestamp"]
    row = world.rows(inline)[0]
    assert row.state == "stored" and row.inline_data is None  # the bytes moved to the store


async def test_a_channel_without_a_fetcher_waits_and_says_why(world, clock):
    message_id = world.message("dingtalk", MediaRef("file", "url", "https://x/y.pdf"))
    await world.worker.run_once()
    [row] = world.rows(message_id)
    assert row.state == "pending" and "no media fetcher" in row.error
