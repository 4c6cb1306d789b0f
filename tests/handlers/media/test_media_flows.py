"""What residents actually send, through the sandbox: screenshots read as words (scripted here; real OCR in
test_ocr.py), locations joining a call for help, voice notes and photos reaching the officer."""
from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from tests.fakes.images import make_png, qr_png
from tests.fakes.reader import FakeImageReader

pytestmark = pytest.mark.postgres

SCAM_SCREENSHOT = "【京东客服】您好，您开通了百万保障，不关闭每月扣费800元，请下载会议软件共享屏幕处理 www.jd-tk.cn"
DISPUTE_SCREENSHOT = "楼上1502每天半夜还在拖椅子蹦迪，吵得孩子睡不着，跟他说了好几次也不改，8栋2单元"


def image_body(chat: str, sender: str, data: bytes, **extra: object) -> dict:
    return {"group_id": chat, "sender_id": sender, "image_base64": base64.b64encode(data).decode(), **extra}


async def test_scam_screenshot_in_a_group_draws_the_warning_for_its_scam_type(bot, image_reader):
    png = image_reader.reads(make_png(320, 240), SCAM_SCREENSHOT)
    sent = await bot.send_and_step(image_body("grid-1", "resident-3", png))
    group = [m["text"] for m in sent if m["chat_id"] == "grid-1"]
    assert len(group) == 1 and "客服" in group[0] and "96110" in group[0]
    [alert] = [m["text"] for m in sent if m["chat_id"] == "officer-1"]
    assert "冒充电商物流客服" in alert and "［图片文字］" in alert and "图片：http://127.0.0.1:8080/media/" in alert
    _, cases = await bot.api("/api/cases")
    assert cases[0]["kind"] == "fraud" and cases[0]["scam_type"] == "fake_customer_service"
    status, rows = await bot.api(f"/api/cases/{cases[0]['id']}/media")
    assert status == 200 and rows[0]["state"] == "stored" and rows[0]["recognized_text"] == SCAM_SCREENSHOT


async def test_the_officers_link_opens_the_stored_image_and_a_forged_one_does_not(bot, image_reader):
    png = image_reader.reads(make_png(300, 200), SCAM_SCREENSHOT)
    sent = await bot.send_and_step(image_body("grid-1", "resident-3", png))
    alert = next(m["text"] for m in sent if m["chat_id"] == "officer-1")
    link = alert.split("图片：")[1].split()[0].removeprefix("http://127.0.0.1:8080")
    resp = await bot.client.get(link)
    assert resp.status == 200 and await resp.read() == png and resp.headers["Content-Type"] == "image/png"
    forged = link.rsplit("sig=", 1)[0] + "sig=" + "0" * 32
    assert (await bot.client.get(forged)).status == 403


async def test_dispute_screenshot_opens_a_dispute_case_with_the_image_as_evidence(bot, image_reader):
    png = image_reader.reads(make_png(200, 300), DISPUTE_SCREENSHOT)
    sent = await bot.send_and_step(image_body("grid-2", "resident-7", png))
    assert any("噪音扰民" in m["text"] for m in sent if m["chat_id"] == "grid-2")
    card = next(m["text"] for m in sent if m["chat_id"] == "officer-2")
    assert "图片：" in card
    _, cases = await bot.api("/api/cases")
    assert cases[0]["kind"] == "dispute" and cases[0]["subtype"] == "noise"


async def test_an_ordinary_photo_is_kept_silently(bot):
    sent = await bot.send_and_step(image_body("grid-1", "resident-3", make_png(100, 100)))
    assert sent == []
    _, cases = await bot.api("/api/cases")
    assert cases == []


async def test_other_messages_of_the_chat_do_not_wait_for_an_image_being_read(bot, image_reader):
    png = image_reader.reads(make_png(120, 90), SCAM_SCREENSHOT)
    await bot.post(image_body("grid-1", "resident-3", png))
    await bot.say("grid-1", "resident-4", "楼道灯坏了好几天了，晚上黑漆漆的")
    from bot.keys import PIPELINE

    assert await bot.app[PIPELINE].run_once() == 1  # the text is handled while the image waits for its reading
    assert image_reader.calls == 0


@pytest.mark.parametrize("image_reader", [FakeImageReader(state="unavailable")])
async def test_without_ocr_the_officer_is_asked_to_look_at_the_image(bot, image_reader):
    sent = await bot.send_and_step(image_body("grid-2", "resident-7", make_png(300, 500)))
    assert [m for m in sent if m["chat_id"] == "grid-2"] == []  # nothing is said in the group
    [alert] = [m["text"] for m in sent if m["chat_id"] == "officer-2"]
    assert "【图片待查看】" in alert and "未安装图片文字识别" in alert and "/media/" in alert


async def test_a_qr_code_of_a_known_scam_domain_joins_its_incident(bot, image_reader):
    await bot.talk("grid-1", "resident-3", "有人发链接 www.tk-refund.top 说退款要先交保证金，是诈骗吧")
    png = image_reader.reads(qr_png("https://tk-refund.top/pay?id=3", canvas=(400, 600)),
                             "扫码领取退款 客服说要先交保证金才能退款")
    sent = await bot.send_and_step(image_body("grid-2", "resident-8", png))
    assert len([m for m in sent if m["chat_id"] == "grid-2"]) == 1  # grid-2 warned once
    spread = next(m["text"] for m in sent if m["chat_id"] == "officer-1")
    assert "【同一诈骗·多群出现】" in spread and "2个群" in spread
    _, cases = await bot.api("/api/cases")
    assert len(cases) == 1


async def test_location_pin_joins_the_open_call_for_help(bot):
    await bot.talk("grid-1", "resident-5", "救命 我爸在家摔倒了起不来 头上流血了")
    sent = await bot.send_and_step({"group_id": "grid-1", "sender_id": "resident-5",
                                    "location": {"lat": 30.2741, "lng": 120.1551, "label": "幸福里3栋2单元"}})
    alerts = [m["text"] for m in sent if m["chat_id"] in ("officer-1", "duty-1")]
    assert len(alerts) == 2 and all("幸福里3栋2单元" in a and "30.2741" in a and "uri.amap.com" in a for a in alerts)
    assert any("已把您的位置转给" in m["text"] for m in sent if m["chat_id"] == "grid-1")
    _, cases = await bot.api("/api/cases")
    _, case = await bot.api(f"/api/cases/{cases[0]['id']}")
    assert "location" in [e["action"] for e in case["events"]]


async def test_help_call_after_a_location_says_so_in_the_first_alert(bot):
    await bot.send_and_step({"group_id": "grid-2", "sender_id": "resident-9",
                             "location": {"lat": 30.27, "lng": 120.15, "label": "9栋楼下花坛"}})
    sent = await bot.talk("grid-2", "resident-9", "快来人 有人晕倒了 没有呼吸了")
    alert = next(m["text"] for m in sent if m["chat_id"] == "officer-2")
    assert alert.startswith("📍求助人已发送位置：9栋楼下花坛") and "【紧急求助】" in alert


async def test_location_without_an_open_case_is_only_kept(bot, clock):
    await bot.talk("grid-1", "resident-5", "救命 我爸在家摔倒了起不来")
    clock.advance(timedelta(hours=3))  # past the link window
    sent = await bot.send_and_step({"group_id": "grid-1", "sender_id": "resident-5",
                                    "location": {"lat": 30.27, "lng": 120.15, "label": "3栋"}})
    assert sent == []


async def test_photo_from_a_reporter_with_an_open_dispute_is_added_as_evidence(bot):
    await bot.talk("grid-2", "resident-7", "楼上每天半夜还在蹦迪，吵得孩子睡不着，8栋2单元301")
    sent = await bot.send_and_step(image_body("grid-2", "resident-7", make_png(90, 90)))
    [alert] = [m["text"] for m in sent if m["chat_id"] == "officer-2"]
    assert "【补充材料】1号" in alert and "一张图片" in alert
    status, rows = await bot.api("/api/media?case_id=1")
    assert status == 200 and len(rows) == 1 and rows[0]["case_id"] == 1


async def test_sandbox_refuses_a_non_image_and_a_bad_location(bot):
    for body, error in (
        (image_body("grid-1", "r", b"GIF89a not allowed here"), "PNG or JPEG"),
        ({"group_id": "grid-1", "sender_id": "r", "location": {"lat": 91, "lng": 0}}, "within"),
        ({"group_id": "grid-1", "sender_id": "r", "text": "hi", "location": {"lat": 1, "lng": 1}}, "one of"),
        ({"group_id": "grid-1", "sender_id": "r", "image_base64": "@@@"}, "base64"),
    ):
        resp = await bot.client.post("/sandbox/messages", json=body)
        assert resp.status == 400 and error in (await resp.json())["error"]
