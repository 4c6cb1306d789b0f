"""The sandbox page in a real headless Chromium: pick a group and a sender, type, see the bot's reply; residents'
own messages are shown (also those sent from elsewhere), residents' direct chats are listed, the log scrolls."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.keys import OUTBOX, PIPELINE
from tests.fakes.browser import PHONE, chromium, new_page, playwright_ready, snap

pytestmark = pytest.mark.skipif(not playwright_ready(),
                                reason="no chromium (apt-get install chromium; .ci/run installs it) or no playwright")


@pytest.fixture
async def served(config, clock, engine):  # noqa: ANN001, ANN201
    server = TestServer(create_app(config, clock=clock, engine=engine, background=False), host="127.0.0.1")
    await server.start_server()
    yield server
    await server.close()


async def work(app) -> None:  # noqa: ANN001
    await app[PIPELINE].run_once()
    await app[OUTBOX].drain_once()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_resident_reports_noise_and_sees_case_number_in_page(served):
    app = served.app
    async with chromium() as browser:
        page = await new_page(browser, str(served.make_url("/")))
        await page.goto("/sandbox")
        await page.locator("#groups button[data-chat='grid-2']").click()
        assert await page.locator("#sender").input_value() == "resident-1"
        await page.fill("#text", "楼上每天半夜还在蹦迪 吵得孩子睡不着 8栋2单元")
        await page.press("#text", "Enter")
        await page.locator("#log .me").wait_for()
        await work(app)
        await page.evaluate("refresh()")
        reply = page.locator("#log .bot")
        await reply.wait_for()
        text = await reply.text_content()
        assert "1号" in text and "李警官" in text and "@resident-1" in text
        await page.fill("#text", "")
        await page.press("#text", "Enter")
        assert await page.locator("#log .me").count() == 1, "empty text is not sent"
        await snap(page, "sandbox")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_the_sandbox_shows_others_messages_lists_residents_and_scrolls(served):
    app = served.app
    async with chromium() as browser:
        page = await new_page(browser, str(served.make_url("/")), PHONE)
        client_post = page.context.request.post
        for n in range(12):  # another resident writes from elsewhere (curl, another tab)
            await client_post("/sandbox/messages", data={"group_id": "grid-2", "sender_id": "resident-9",
                                                         "text": f"第{n + 1}条：楼下烧烤店油烟太大 天天熏得开不了窗"})
        await work(app)
        await page.goto("/sandbox")
        await page.locator("#groups button[data-chat='grid-2']").click()
        await page.locator("#log .other").first.wait_for()
        assert await page.locator("#log .other").count() == 12, "residents' own messages are shown"
        await page.wait_for_function("() => { const l = document.getElementById('log');"
                                     " return l.scrollHeight > l.clientHeight && l.scrollTop + l.clientHeight >= l.scrollHeight - 2; }")
        await page.reload()
        resident = page.locator("#residents button[data-chat='resident-9']")
        await resident.wait_for()
        await resident.click()
        assert await page.locator("#sender").input_value() == "resident-9"
        await snap(page, "sandbox-phone")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_resident_sends_a_location_and_an_image_from_the_page(served, tmp_path):
    from sqlmodel import select

    from bot.keys import ENGINE
    from storage.db import session as new_session
    from storage.models import Message
    from tests.fakes.images import make_png

    picture = tmp_path / "screenshot.png"
    picture.write_bytes(make_png(40, 30))
    async with chromium() as browser:
        page = await new_page(browser, str(served.make_url("/")))
        await page.goto("/sandbox")
        await page.locator("#groups button[data-chat='grid-3']").click()
        await page.locator("#pick-spot").click()
        await page.locator("#spot-send").click()
        await page.locator("#log .me").first.wait_for()
        assert "幸福里3栋2单元" in await page.locator("#log .me").first.text_content()
        await page.locator("#image").set_input_files(str(picture))
        await page.wait_for_function("() => document.querySelectorAll('#log .me').length === 2")
        assert "[图片]" in await page.locator("#log .me").nth(1).text_content()
        await snap(page, "sandbox-location-image")
    with new_session(served.app[ENGINE]) as session:
        kinds = [m.kind for m in session.exec(select(Message).order_by(Message.id)).all()]
    assert kinds == ["location", "image"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_behind_its_token_the_page_works_from_its_address_and_refuses_without(clock, engine):
    from tests.factories import SANDBOX_TOKEN, make_config

    config = make_config(bridge={"enabled": True, "secret": "s", "outbound_url": "http://127.0.0.1:9/out"})
    server = TestServer(create_app(config, clock=clock, engine=engine, background=False), host="127.0.0.1")
    await server.start_server()
    try:
        async with chromium() as browser:
            page = await new_page(browser, str(server.make_url("/")))
            await page.goto("/sandbox")  # asked for the token, the dialog is answered empty
            await page.wait_for_function("() => document.getElementById('status').textContent.includes('令牌')")
            assert await page.locator("#groups button").count() == 0
            page = await new_page(browser, str(server.make_url("/")))
            await page.goto(f"/sandbox#token={SANDBOX_TOKEN}")
            await page.locator("#groups button[data-chat='grid-2']").click()
            assert "token" not in page.url  # the token leaves the address bar at once
            await page.fill("#text", "楼上每天半夜还在蹦迪 吵得孩子睡不着 8栋2单元")
            await page.press("#text", "Enter")
            await page.locator("#log .me").wait_for()
            await work(server.app)
            await page.evaluate("refresh()")
            await page.locator("#log .bot").wait_for()
    finally:
        await server.close()
