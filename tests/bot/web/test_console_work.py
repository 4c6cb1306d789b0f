"""The console's other pages: the broadcast composer with live delivery status and retry, the Friday agenda with
consent, the fraud and help feeds with acknowledgement times, and the reports."""
from __future__ import annotations

import pytest

from bot.app import create_app
from bot.channels.base import PermanentFailure
from bot.keys import ENGINE
from storage.db import session as new_session
from storage.models import Case
from tests.bot.web.console_kit import follow, give_password, post, sign_in
from tests.factories import BotDriver, make_config
from tests.fakes.senders import FakeSender


@pytest.fixture
async def flaky(aiohttp_client, config, clock, engine):  # noqa: ANN001, ANN201
    """The bot with a sandbox sender the test can make fail."""
    sender = FakeSender("sandbox")
    app = create_app(config, clock=clock, engine=engine, background=False, senders={"sandbox": sender})
    driver = BotDriver(await aiohttp_client(app))
    driver.sender = sender
    return driver


async def test_broadcast_composer_previews_confirms_shows_delivery_and_retries(flaky):
    bot = flaky
    give_password(bot.app[ENGINE], "officer-1")
    csrf = await sign_in(bot.client, "officer-1")
    page = await (await bot.client.get("/console/broadcasts")).text()
    assert "商铺" in page and "第一网格" in page, "targets by grid and by tag"
    resp = await post(bot.client, "/console/broadcasts", csrf, grid="grid-1", tag="商铺",
                      text="近期有冒充客服退款的诈骗电话，请勿点击陌生链接")
    preview = await follow(bot.client, resp)
    assert "将发到2个群" in preview and "幸福里一网格信息共享群" in preview and "幸福里三网格微治理群" in preview
    assert "【警务提醒】近期有冒充客服" in preview
    broadcast_path = resp.headers["Location"]
    bot.sender.fail_next(PermanentFailure("群机器人 key 无效"))
    page = await follow(bot.client, await post(bot.client, f"{broadcast_path}/confirm", csrf))
    assert "已排队发往2个群" in page and "排队中" in page  # queued, not claimed as sent
    await bot.step()
    status = await (await bot.client.get(f"{broadcast_path}/status")).json()
    assert sorted(d["status"] for d in status["deliveries"]) == ["failed", "sent"]
    assert any(d["error"] == "平台拒收" for d in status["deliveries"]) and status["pending"] == 0  # no internal text
    page = await follow(bot.client, await post(bot.client, f"{broadcast_path}/retry", csrf))
    assert "已重新发送1个失败的群" in page
    await bot.step()
    status = await (await bot.client.get(f"{broadcast_path}/status")).json()
    assert [d["status"] for d in status["deliveries"]] == ["sent", "sent"] and "已送达2" in status["summary"]
    again = await follow(bot.client, await post(bot.client, f"{broadcast_path}/confirm", csrf))
    assert "已经发送过了" in again


async def test_mediators_and_grid_workers_cannot_broadcast(bot):
    give_password(bot.app[ENGINE], "mediator-property")
    csrf = await sign_in(bot.client, "mediator-property")
    assert (await bot.client.get("/console/broadcasts")).status == 403
    assert (await post(bot.client, "/console/broadcasts", csrf, all="1", text="x")).status == 403


async def test_the_agenda_page_groups_hard_disputes_by_mediator(bot):
    await bot.talk("grid-2", "resident-7", "楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301")
    give_password(bot.app[ENGINE], "officer-2")
    csrf = await sign_in(bot.client, "officer-2")
    await post(bot.client, "/console/cases/1/hard", csrf)
    page = await (await bot.client.get("/console/agenda")).text()
    assert "调解员：刘管家（1件）" in page and "民警标记疑难" in page and "1号" in page


async def test_with_require_consent_a_dispute_waits_for_both_parties(aiohttp_client, clock, engine):
    app = create_app(make_config(friday={"require_consent": True}), clock=clock, engine=engine, background=False)
    bot = BotDriver(await aiohttp_client(app))
    await bot.talk("grid-2", "resident-7", "楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301")
    give_password(engine, "officer-2")
    csrf = await sign_in(bot.client, "officer-2")
    await post(bot.client, "/console/cases/1/hard", csrf)
    page = await (await bot.client.get("/console/agenda")).text()
    assert "待双方同意调解" in page and "调解员：" not in page
    await post(bot.client, "/console/cases/1/consent", csrf, party="applicant", name="张三", phone="13912345678")
    page = await follow(bot.client, await post(bot.client, "/console/cases/1/consent", csrf, party="respondent",
                                               name="李四"))
    assert "已记录当事人同意调解" in page and "张三" in page
    page = await (await bot.client.get("/console/agenda")).text()
    assert "调解员：刘管家（1件）" in page and "待双方同意调解" not in page


async def test_alerts_show_acknowledgement_times(bot, clock):
    await bot.talk("grid-2", "resident-7", "我家老人摔倒了起不来，快来人")
    await bot.talk("grid-1", "resident-1", "有人在群里发刷单返利的广告，说日赚三百，先垫付")
    clock.advance(minutes=7)
    await bot.talk("officer-2", "officer-2", "/take 1", direct=True)
    give_password(bot.app[ENGINE], "duty-1")
    await sign_in(bot.client, "duty-1")
    page = await (await bot.client.get("/console/alerts")).text()
    help_part, fraud_part = page.split('id="fraud-feed"')
    assert "紧急求助（1件）" in help_part and "7分钟" in help_part
    assert "反诈预警（1件）" in fraud_part and "未响应" in fraud_part


async def test_reports_page_with_charts_per_grid_and_period(bot):
    await bot.talk("grid-2", "resident-7", "楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301")
    await bot.talk("grid-1", "resident-1", "对门邻居天天把垃圾堆在楼道里 臭死了 说了也不听")
    await bot.talk("officer-2", "officer-2", "/resolve 1 已调解", direct=True)
    give_password(bot.app[ENGINE], "duty-1")
    await sign_in(bot.client, "duty-1")
    page = await (await bot.client.get("/console/reports?since=2026-11-01&until=2026-11-30")).text()
    assert "2026-11-01 至 2026-11-30" in page and page.count("<svg") == 3, "no surveys yet: no satisfaction chart"
    assert '<b id="fig-total">2</b>' in page and "50%（1/2）" in page
    assert "第一网格" in page and "第二网格" in page
    page = await (await bot.client.get("/console/reports?since=2026-11-01&until=2026-11-30&grid_id=grid-2")).text()
    assert '<b id="fig-total">1</b>' in page and "100%（1/1）" in page
    page = await (await bot.client.get("/console/reports?since=2026-12-01&until=2026-12-31")).text()
    assert '<b id="fig-total">0</b>' in page


async def test_a_grid_officer_reports_only_their_grids(bot):
    await bot.talk("grid-2", "resident-7", "楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301")
    give_password(bot.app[ENGINE], "officer-1")
    await sign_in(bot.client, "officer-1")
    page = await (await bot.client.get("/console/reports?since=2026-11-01&until=2026-11-30")).text()
    assert '<b id="fig-total">0</b>' in page and "第二网格" not in page
    with new_session(bot.app[ENGINE]) as session:
        assert session.get(Case, 1).grid_id == "grid-2"


async def test_alerts_page_lists_parked_messages_for_admins_only(bot, clock):
    from tests.handlers.routines.test_digest import add_parked_message

    parked = add_parked_message(bot.app[ENGINE], now=clock.now(), text="救命 我的电话13900001111")
    give_password(bot.app[ENGINE], "admin-1")
    await sign_in(bot.client, "admin-1")
    page = await (await bot.client.get("/console/alerts")).text()
    part = page.split('id="parked-messages"')[1]
    assert "暂停处理的消息（1条）" in part and f"<td>{parked}</td>" in part and "10次" in part
    assert "139****1111" in part and "13900001111" not in page
    give_password(bot.app[ENGINE], "duty-1")
    await sign_in(bot.client, "duty-1")
    page = await (await bot.client.get("/console/alerts")).text()
    assert 'id="fraud-feed"' in page and 'id="parked-messages"' not in page
