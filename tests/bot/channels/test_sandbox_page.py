"""The sandbox page in a real headless Chromium: pick a group and a sender, type, see the bot's reply."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.keys import OUTBOX, PIPELINE
from tests.fakes.browser import Browser, chromium_path

pytestmark = pytest.mark.skipif(chromium_path() is None,
                                reason="no chromium on PATH (apt-get install chromium; .ci/run installs it)")


@pytest.fixture
async def served(config, clock, engine):  # noqa: ANN001, ANN201
    server = TestServer(create_app(config, clock=clock, engine=engine, background=False), host="127.0.0.1")
    await server.start_server()
    yield server
    await server.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_resident_reports_noise_and_sees_case_number_in_page(served, tmp_path):
    app = served.app
    async with Browser(tmp_path / "profile") as page:
        await page.goto(str(served.make_url("/sandbox")))
        await page.until("document.querySelectorAll('#groups button').length >= 3")
        await page.js("[...document.querySelectorAll('#groups button')].find(b => b.dataset.chat === 'grid-2')"
                      ".click()")
        await page.until("document.querySelector('#sender').value === 'resident-1'")
        await page.js("document.querySelector('#text').value = '楼上每天半夜还在蹦迪 吵得孩子睡不着 8栋2单元';"
                      "document.querySelector('#composer').requestSubmit()")
        await page.until("document.querySelectorAll('#log .me').length === 1")

        await app[PIPELINE].run_once()
        await app[OUTBOX].drain_once()

        await page.js("refresh()")
        await page.until("document.querySelectorAll('#log .bot').length === 1")
        reply = await page.js("document.querySelector('#log .bot').textContent")
        assert "1号" in reply and "李警官" in reply and "@resident-1" in reply
        await page.js("document.querySelector('#text').value = ''; document.querySelector('#composer').requestSubmit()")
        assert await page.js("document.querySelectorAll('#log .me').length") == 1, "empty text is not sent"
        await page.screenshot(tmp_path / "sandbox.png")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_resident_sends_a_location_and_an_image_from_the_page(served, tmp_path):
    import base64

    from sqlmodel import select

    from bot.keys import ENGINE
    from storage.db import session as new_session
    from storage.models import Message
    from tests.fakes.images import make_png

    png = base64.b64encode(make_png(40, 30)).decode()
    async with Browser(tmp_path / "profile") as page:
        await page.goto(str(served.make_url("/sandbox")))
        await page.until("document.querySelectorAll('#groups button').length >= 3")
        await page.js("document.querySelector('#pick-spot').click(); document.querySelector('#spot-send').click()")
        await page.until("document.querySelectorAll('#log .me').length === 1")
        assert "幸福里3栋2单元" in await page.js("document.querySelector('#log .me').textContent")
        await page.js(f"send({{image_base64: '{png}'}}, {{image: 'data:image/png;base64,{png}', text: '[图片]'}})")
        await page.until("document.querySelectorAll('#log .me img').length === 1")
    with new_session(served.app[ENGINE]) as session:
        kinds = [m.kind for m in session.exec(select(Message).order_by(Message.id)).all()]
    assert kinds == ["location", "image"]
