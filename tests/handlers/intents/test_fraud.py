"""Fraud: a warning for the scam type in the group, an alert to the officer; adverts flagged."""
from __future__ import annotations

import pytest

from handlers.intents import fraud

pytestmark = pytest.mark.postgres

ADVERT = "高薪招聘兼职刷单 日结300 在家可做 加微信abc123 联系13912345678"


@pytest.mark.parametrize("scam_type", ["rebate_task", "investment", "fake_customer_service", "impersonate_authority",
                                       "loan_credit", "impersonate_acquaintance", "romance", "game_trade",
                                       "prize_parttime", "social_insurance", "other", None])
def test_every_scam_type_has_a_warning_with_the_hotline(scam_type):
    assert "96110" in fraud.warning_for(scam_type)


async def test_resident_report_gets_tailored_warning_and_officer_alert(bot):
    sent = await bot.talk("grid-1", "resident-2", "我被冒充公安的骗了转了5万")
    group = [m for m in sent if m["chat_id"] == "grid-1"]
    assert len(group) == 1 and "公检法" in group[0]["text"] and "96110" in group[0]["text"]
    alert = [m for m in sent if m["chat_id"] == "officer-1"]
    assert len(alert) == 1 and "反诈预警" in alert[0]["text"] and "疑似诈骗广告" not in alert[0]["text"]
    _, cases = await bot.api("/api/cases")
    assert cases[0]["kind"] == "fraud" and cases[0]["scam_type"] == "impersonate_authority"


@pytest.mark.parametrize("text, hallmark", [
    (ADVERT, True),
    ("无抵押贷款秒到账 征信不好也能下款 加v dk888", True),
    ("物业招聘保洁阿姨 兼职 每天上午 有意者联系物业办公室", False),  # a real job: 招聘, 兼职, 联系 only
    ("小区超市招聘收银员 兼职也可以 联系店长", False),
])
def test_only_adverts_for_what_is_never_a_real_job_bear_a_hallmark(text, hallmark):
    assert fraud.is_hallmark_advert(text) is hallmark


async def test_a_plain_job_advert_is_left_alone(bot):
    sent = await bot.talk("grid-2", "resident-8", "物业招聘保洁阿姨 兼职 每天上午 有意者联系物业办公室")
    assert [m for m in sent if m["chat_id"] == "grid-2"] == []


async def test_scam_advert_is_flagged_for_removal(bot):
    sent = await bot.talk("grid-2", "spammer-1", ADVERT)
    group = [m for m in sent if m["chat_id"] == "grid-2"]
    assert len(group) == 1 and "刷单" in group[0]["text"] and "13912345678" not in group[0]["text"]
    alert = [m for m in sent if m["chat_id"] == "officer-2"]
    assert len(alert) == 1 and "疑似诈骗广告，建议移出发布者" in alert[0]["text"]
    _, cases = await bot.api("/api/cases")
    _, case = await bot.api(f"/api/cases/{cases[0]['id']}")
    assert "scam_advert" in [e["action"] for e in case["events"]]


async def test_resident_asking_about_a_scam_is_not_an_advert(bot):
    sent = await bot.talk("grid-2", "resident-7", "有人让我刷单返利是不是骗子")
    alert = [m for m in sent if m["chat_id"] == "officer-2"]
    assert alert and "疑似诈骗广告" not in alert[0]["text"]


async def test_officer_alert_names_the_scam_type_in_chinese(bot):
    sent = await bot.talk("grid-1", "resident-2", "有个自称京东客服的说我开通了百万保障 要关掉不然每月扣费 让我下载个软件")
    alert = next(m["text"] for m in sent if m["chat_id"] == "officer-1")
    assert "冒充电商物流客服" in alert and "fake_customer_service" not in alert
