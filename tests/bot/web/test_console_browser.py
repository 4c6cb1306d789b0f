"""The console in a real headless Chromium (Playwright on the machine's Chromium): sign-in, the board with
filters (desktop and phone), one case from report to resolution, the broadcast composer with live status, a chart
page, a generated mediation agreement, and an export download that opens as a valid xlsx with the expected rows.
Each page's screenshot is kept under test-artefacts/screenshots."""
from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import expect

from bot.app import create_app
from bot.keys import ENGINE, OUTBOX, PIPELINE
from storage.db import session as new_session
from storage.models import Case
from tests.bot.web.console_kit import PASSWORD, give_password, signed_in
from tests.fakes.browser import PHONE, chromium, new_page, playwright_ready, snap

pytestmark = [pytest.mark.skipif(not playwright_ready(), reason="no chromium (apt-get install chromium) or playwright"),
              pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]
NOISE = "楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301，电话13912345678"


@pytest.fixture
async def served(config, clock, engine):  # noqa: ANN001, ANN201
    server = TestServer(create_app(config, clock=clock, engine=engine, background=False), host="127.0.0.1")
    await server.start_server()
    give_password(engine, "officer-2", "duty-1", "mediator-building")
    yield server
    await server.close()


async def say(server, chat: str, sender: str, text: str) -> None:  # noqa: ANN001
    import aiohttp

    async with aiohttp.ClientSession() as http:
        async with http.post(str(server.make_url("/sandbox/messages")),
                             json={"group_id": chat, "sender_id": sender, "text": text}) as resp:
            assert resp.status == 200
    await work(server.app)


async def work(app) -> None:  # noqa: ANN001
    await app[PIPELINE].run_once()
    await app[OUTBOX].drain_once()


async def count(page, status: str) -> int:  # noqa: ANN001
    return int(await page.locator(f".column[data-status='{status}'] .count").text_content())


async def test_sign_in_and_the_board_with_filters(served):
    await say(served, "grid-2", "resident-7", NOISE)
    await say(served, "grid-1", "resident-1", "对门邻居天天把垃圾堆在楼道里 臭死了 说了也不听")
    await say(served, "grid-2", "resident-8", "有人在群里发刷单返利的广告，说日赚三百，先垫付")
    async with chromium() as browser:
        page = await new_page(browser, str(served.make_url("/")))
        await page.goto("/console/cases")
        await page.wait_for_url("**/console/login**")
        await page.fill("#person", "duty-1")
        await page.fill("#password", "wrong-password")
        await page.click("#login button[type=submit]")
        assert "编号或密码不对" in await page.locator(".error").text_content()
        await snap(page, "console-login")
        await page.fill("#password", PASSWORD)
        await page.click("#login button[type=submit]")
        await page.wait_for_url("**/console/cases")
        assert await count(page, "assigned") == 3
        await page.select_option("select[name=grid_id]", "grid-2")
        await page.click("#filters button[type=submit]")
        await page.wait_for_url("**grid_id=grid-2**")
        assert await count(page, "assigned") == 2
        await page.select_option("select[name=kind]", "fraud")
        await page.click("#filters button[type=submit]")
        await page.wait_for_url("**kind=fraud**")
        assert await count(page, "assigned") == 1 and await page.locator("a.case").count() == 1
        await snap(page, "console-board-filtered")
        phone = await signed_in(browser, served, "duty-1", PHONE)
        assert await phone.locator("a.case").count() == 3
        box = await phone.locator(".column[data-status='open']").bounding_box()
        assert box["width"] <= PHONE["width"], "columns stack on a phone"
        await snap(phone, "console-board-phone")


async def test_one_case_from_report_to_resolution(served):
    await say(served, "grid-2", "resident-7", NOISE)
    async with chromium() as browser:
        page = await signed_in(browser, served, "officer-2")
        await page.click("a.case[data-case='1']")
        await page.wait_for_url("**/console/cases/1")
        assert "13912345678" in await page.locator("#case-text").text_content(), "the grid's officer reads it raw"
        await page.click("form[data-action=take] button")
        await page.locator(".flash").wait_for()
        assert "已接单" in await page.locator(".flash").text_content()
        await page.fill("form[data-action=reply] input[name=text]", "明天上午我上门了解情况")
        await page.click("form[data-action=reply] button")
        await page.locator(".flash").wait_for()
        await work(served.app)
        await page.fill("form[data-action=resolve] input[name=text]", "双方约定晚十点后不再放音乐")
        await page.click("form[data-action=resolve] button")
        await page.locator(".flash").wait_for()
        timeline = await page.locator("#timeline").text_content()
        for word in ("登记", "接单", "回复居民", "化解（处理中→已化解）：双方约定晚十点后不再放音乐"):
            assert word in timeline
        assert await page.locator("[data-fact='状态']").text_content() == "已化解"
        await snap(page, "console-case-resolved")
    with new_session(served.app[ENGINE]) as session:
        assert session.get(Case, 1).status == "resolved"


async def test_the_broadcast_composer_with_live_delivery_status(served):
    async with chromium() as browser:
        page = await signed_in(browser, served, "duty-1")
        await page.click("text=广播")
        await page.check("input[name=grid][value=grid-1]")
        await page.check("input[name=tag][value=商铺]")
        await page.fill("#broadcast-text", "近期有冒充客服退款的诈骗电话，请勿点击陌生链接")
        await page.click("#composer button[type=submit]")
        await page.locator("#preview-groups").wait_for()
        assert await page.locator("#preview-groups li").count() == 2
        await snap(page, "console-broadcast-preview")
        await page.click("#confirm button")  # the confirm() dialog is accepted
        await page.locator("#deliveries").wait_for()
        assert await page.locator("#deliveries .status-pending").count() == 2
        await work(served.app)
        await expect(page.locator("#deliveries .status-sent")).to_have_count(2)  # the page polls, without a reload
        assert "已送达2" in await page.locator("#delivery-summary").text_content()
        await snap(page, "console-broadcast-delivered")


async def test_a_chart_page(served):
    await say(served, "grid-2", "resident-7", NOISE)
    await say(served, "grid-1", "resident-1", "我家老人摔倒了起不来，快来人")
    async with chromium() as browser:
        page = await signed_in(browser, served, "duty-1")
        await page.goto("/console/reports?since=2026-11-01&until=2026-11-30")
        assert await page.locator("#fig-total").text_content() == "2"
        assert await page.locator("svg.chart rect").count() >= 4
        assert "紧急求助" in await page.locator("#by-kind").text_content()
        await snap(page, "console-reports")
        await page.goto("/console/alerts")
        assert "紧急求助（1件）" in await page.locator("#help-calls").text_content()
        await snap(page, "console-alerts")


async def test_a_generated_mediation_agreement(served):
    await say(served, "grid-2", "resident-7", "对门邻居天天把垃圾堆在楼道里 臭死了 说了也不听")  # neighbour: 陈阿姨
    async with chromium() as browser:
        page = await signed_in(browser, served, "mediator-building")
        await page.goto("/console/cases/1")
        for party, name in (("applicant", "张三丰"), ("respondent", "李四光")):
            await page.select_option("#consent select[name=party]", party)
            await page.fill("#consent input[name=name]", name)
            await page.click("#consent button")
            await page.locator(".flash").wait_for()
        await page.fill("form[data-action=resolve] input[name=text]", "杂物三日内清走，楼道保持畅通")
        await page.click("form[data-action=resolve] button")
        await page.locator(".flash").wait_for()
        await page.select_option("#make-paper select[name=kind]", "agreement")
        await page.check("#make-paper input[name=shared]")
        await page.click("#make-paper button")
        link = page.locator("#paper-list a")
        await link.wait_for()
        async with page.expect_download() as info:
            await link.click()
        download = await info.value
        assert download.suggested_filename == "1号-人民调解协议书-共享版.docx"
        text = "\n".join(p.text for p in docx.Document(await download.path()).paragraphs)
        assert "人民调解协议书" in text and "杂物三日内清走" in text and "张**" in text and "张三丰" not in text
        await snap(page, "console-mediation-papers")


async def test_an_export_download_opens_as_xlsx_with_the_expected_rows(served):
    await say(served, "grid-2", "resident-7", NOISE)
    await say(served, "grid-1", "resident-1", "对门邻居天天把垃圾堆在楼道里 臭死了 说了也不听")
    async with chromium() as browser:
        page = await signed_in(browser, served, "duty-1")
        await page.click("text=台账导出")
        form = page.locator("form[data-kind='dispute-ledger']")
        await form.locator("input[name=since]").fill("2026-11-01")
        await form.locator("input[name=until]").fill("2026-11-30")
        await snap(page, "console-exports")
        async with page.expect_download() as info:
            await form.locator("button[type=submit]").first.click()
        download = await info.value
        assert download.suggested_filename == "矛盾纠纷排查化解台账-2026-11-01_2026-11-30.xlsx"
        content = open(await download.path(), "rb").read()
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("编号", "登记日期", "网格", "当事人", "纠纷类型") and sheet.freeze_panes == "A2"
    assert sorted((r[0], r[2], r[4]) for r in rows[1:]) == [(1, "第二网格（7-12栋）", "噪音扰民"),
                                                            (2, "第一网格（1-6栋）", "邻里纠纷")]
    assert "13912345678" not in str(rows)
