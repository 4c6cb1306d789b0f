"""One scam, many groups: the same indicator reported in several groups within the window is one incident —
one case with every report linked, each group warned once, the officers told how far it has spread."""
from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.media.indicators import Indicator, extract

pytestmark = pytest.mark.postgres

SCAM_A = "有人打电话17012345678说是京东客服，说我开通了百万保障要关闭，让我下载会议软件"
SCAM_B = "刚才也接到17012345678的电话，自称客服说要帮我关闭扣费，大家别信"
SCAM_C = "17012345678又打来了 说不关就扣钱 还让我加微信 kefu_jd888"


async def test_same_phone_in_three_groups_is_one_incident_each_group_warned_once(bot):
    bot.raw = True  # officers' cards carry raw numbers; the masked sent-log is tested in test_sandbox_guard
    first = await bot.talk("grid-1", "resident-1", SCAM_A)
    assert len([m for m in first if m["chat_id"] == "grid-1"]) == 1
    second = await bot.talk("grid-2", "resident-7", SCAM_B)
    assert len([m for m in second if m["chat_id"] == "grid-2"]) == 1  # a new group: warned
    spread = next(m["text"] for m in second if m["chat_id"] == "officer-1")
    assert "【同一诈骗·多群出现】1号" in spread and "2个群" in spread and "17012345678" in spread
    assert any(m["chat_id"] == "officer-2" for m in second)  # the second group's officer hears of it too
    third = await bot.talk("grid-1", "resident-2", SCAM_C)
    assert [m for m in third if m["chat_id"] == "grid-1"] == []  # grid-1 was warned already
    assert "再次反映" in next(m["text"] for m in third if m["chat_id"] == "officer-1")
    await bot.talk("grid-3", "resident-20", "我家老人也接到17012345678，说是京东客服要退款")
    _, cases = await bot.api("/api/cases?kind=fraud")
    assert len(cases) == 1
    _, case = await bot.api(f"/api/cases/{cases[0]['id']}")
    assert [e["action"] for e in case["events"]].count("fraud_report") == 3


async def test_the_same_indicator_after_the_window_opens_a_new_incident(bot, clock):
    await bot.talk("grid-1", "resident-1", SCAM_A)
    clock.advance(timedelta(hours=73))
    sent = await bot.talk("grid-2", "resident-7", SCAM_B)
    assert not any("多群出现" in m["text"] for m in sent)
    _, cases = await bot.api("/api/cases?kind=fraud")
    assert len(cases) == 2


async def test_reports_without_a_shared_indicator_stay_separate(bot):
    await bot.talk("grid-1", "resident-1", "有人冒充公安说我涉嫌洗钱，让我把钱转到安全账户")
    await bot.talk("grid-2", "resident-7", "我妈接到电话说医保卡异常要交钱，是骗子吧")
    _, cases = await bot.api("/api/cases?kind=fraud")
    assert len(cases) == 2


async def test_export_fraud_indicators_for_the_anti_fraud_centre(bot, tmp_path, config):
    await bot.talk("grid-1", "resident-1", SCAM_A)
    await bot.talk("grid-2", "resident-7", SCAM_B + " 我的电话13900001111")
    from bot.exporting import export_to_file
    from bot.keys import ENGINE
    from handlers.exports import Request
    from handlers.exports.registry import KINDS

    out = tmp_path / "indicators.csv"
    count = export_to_file(bot.app[ENGINE], KINDS["fraud-indicators"], Request(None, None, None, config.tz),
                           fmt="csv", path=out)
    text = out.read_text(encoding="utf-8-sig")
    header, *rows = text.strip().splitlines()
    assert header.startswith("类型,线索,首次发现")
    phone = next(r for r in rows if "17012345678" in r)
    assert ",2," in phone and "幸福里一网格信息共享群" in phone and "幸福里二网格信息共享群" in phone
    assert "13900001111" not in text.replace("13900001111,", "")  # only as an indicator, never in a sample
    assert "139****1111" in text
    assert count == len(rows)


@pytest.mark.parametrize("text,expected", [
    ("加QQ 2839163 备注兼职 官网 https://tk-lc.top/a?x=1 。",
     {("account", "qq:2839163"), ("url", "tk-lc.top/a?x=1"), ("domain", "tk-lc.top")}),
    ("请下载「云聚」APP 共享屏幕，客服电话 400-812-6637",
     {("app", "云聚"), ("phone", "4008126637")}),
    ("转到 6222 0212 3456 7890 123 就能解冻，有疑问打96110或110", {("account", "card:6222021234567890123")}),
    ("加微信 kefu_jd888 领退款，网址www.jd-tk.cn", {("account", "wechat:kefu_jd888"), ("domain", "jd-tk.cn")}),
    ("请下载国家反诈中心APP，公众号 https://mp.weixin.qq.com/s/abc", set()),
    ("身份证110101199003071234不是卡号", set()),
])
def test_indicators_are_extracted_and_everyday_ones_left_out(text, expected):
    assert {(i.kind, i.value) for i in extract(text)} == expected


def test_a_qr_payload_is_an_indicator_with_its_domain():
    assert set(extract("", qr=["https://jd-tk.cn/app?id=9"])) == {
        Indicator("qr", "https://jd-tk.cn/app?id=9"), Indicator("url", "jd-tk.cn/app?id=9"),
        Indicator("domain", "jd-tk.cn")}


def test_gridbot_export_fraud_indicators_command(tmp_path, capsys):
    from bot.cli import main
    from tests.factories import ROOT

    config = tmp_path / "config.toml"
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    config.write_text(text.replace('url = "sqlite:///var/gridbot.db"', f'url = "sqlite:///{tmp_path}/g.db"'))
    assert main(["export", "fraud-indicators", "--config", str(config)]) == 2  # never migrated
    assert main(["db", "upgrade", "--config", str(config)]) == 0
    out = tmp_path / "x.xlsx"
    assert main(["export", "fraud-indicators", "--format", "xlsx", "--output", str(out), "--from", "2026-01-01",
                 "--config", str(config)]) == 0
    from openpyxl import load_workbook

    assert [c.value for c in load_workbook(out).active[1]][:2] == ["类型", "线索"]
    with pytest.raises(SystemExit) as bad_date:
        main(["export", "fraud-indicators", "--from", "yesterday", "--config", str(config)])
    assert bad_date.value.code == 2 and "--from" in capsys.readouterr().err
