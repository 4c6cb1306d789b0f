"""End to end through a real channel: an Official Account voice note with the platform's recognition is handled
like text, and its audio is fetched with the access token and linked to the case; an OA screenshot is fetched,
read and warned about; a voice note without recognition reaches the officer when it belongs to a case or comes
from a vulnerable resident."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.app import create_app
from bot.channels.wechat.security import sha1_signature
from bot.config import parse_config
from bot.keys import ENGINE, MEDIA, OUTBOX, PIPELINE
from storage.db import session
from storage.models import Case, Media
from tests.bot.channels.helpers import NOW_TS, TOKEN
from tests.factories import demo_raw, with_sandbox_token
from tests.fakes.images import make_png
from tests.fakes.reader import FakeImageReader

pytestmark = pytest.mark.postgres
AMR = b"#!AMR\n" + b"\x3c" * 400


@pytest.fixture
def reader() -> FakeImageReader:
    return FakeImageReader()


@pytest.fixture
async def client(fake_api, clock, engine, reader, tmp_path):  # noqa: ANN001, ANN201
    raw = with_sandbox_token(demo_raw())
    raw["database"] = {"url": "sqlite://"}
    raw["media"] = {"root": str(tmp_path / "media")}
    next(p for p in raw["people"] if p["id"] == "resident-elder")["mp_openid"] = "oElder"
    raw["mp"] = {"enabled": True, "app_id": "wxfakeapp", "secret": "mp-secret", "token": TOKEN,
                 "api_base": fake_api.base_url}
    app = create_app(parse_config(raw, environ={}), clock=clock, engine=engine, background=False,
                     image_reader=reader)
    test_client = TestClient(TestServer(app))
    await test_client.start_server()
    yield test_client
    await test_client.close()


async def post_mp(client: TestClient, msg_type: str, fields: str, msg_id: str, sender: str = "oResident1") -> None:
    ts, nonce = str(NOW_TS), "31"
    xml = (f"<xml><ToUserName>gh_demo</ToUserName><FromUserName>{sender}</FromUserName>"
           f"<CreateTime>{NOW_TS}</CreateTime><MsgType>{msg_type}</MsgType>{fields}<MsgId>{msg_id}</MsgId></xml>")
    query = {"signature": sha1_signature(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce}
    resp = await client.post("/wechat/mp", params=query, data=xml.encode())
    assert resp.status == 200 and await resp.text() == "success"


async def work(client: TestClient) -> None:
    app = client.server.app
    await app[PIPELINE].run_once()
    await app[MEDIA].run_once()
    await app[PIPELINE].run_once()
    await app[OUTBOX].drain_once()


def replies_to_resident(fake_api) -> list[str]:  # noqa: ANN001
    return [c.body["text"]["content"] for c in fake_api.calls_to("/cgi-bin/message/custom/send")
            if c.body["touser"] == "oResident1"]


async def test_oa_voice_with_recognition_is_handled_like_text_and_its_audio_kept(client, fake_api):
    fake_api.add_media("VOICE_1", AMR, "audio/amr")
    await post_mp(client, "voice", "<MediaId>VOICE_1</MediaId><Format>amr</Format>"
                  "<Recognition>有人冒充公安打电话说我涉嫌洗钱，让我把钱转到安全账户</Recognition>", "5001")
    await work(client)
    [warning] = replies_to_resident(fake_api)
    assert "公检法" in warning and "96110" in warning
    with session(client.server.app[ENGINE]) as s:
        case = s.exec(select(Case)).one()
        row = s.exec(select(Media)).one()
    assert (case.kind, case.scam_type) == ("fraud", "impersonate_authority")
    assert (row.kind, row.state, row.content_type, row.case_id) == ("voice", "stored", "audio/amr", case.id)
    assert fake_api.errors == []


async def test_oa_screenshot_is_fetched_read_and_warned_about(client, fake_api, reader):
    png = reader.reads(make_png(360, 640), "【医保局】您的医保卡异常已被冻结，请添加客服微信 yb_kefu01 办理解冻，逾期将影响报销")
    fake_api.add_media("IMG_1", png)
    await post_mp(client, "image", "<PicUrl>http://mmbiz/x</PicUrl><MediaId>IMG_1</MediaId>", "5002")
    await work(client)
    [warning] = replies_to_resident(fake_api)
    assert "医保" in warning or "社保" in warning
    with session(client.server.app[ENGINE]) as s:
        row = s.exec(select(Media)).one()
    assert row.state == "stored" and row.case_id is not None


async def test_oa_screenshot_whose_media_id_expired_still_reaches_the_officer(client, fake_api):
    fake_api.expire_media("IMG_OLD")
    await post_mp(client, "image", "<PicUrl>http://mmbiz/x</PicUrl><MediaId>IMG_OLD</MediaId>", "5003")
    await work(client)
    from storage.models import Outbox

    with session(client.server.app[ENGINE]) as s:
        alerts = [r.text for r in s.exec(select(Outbox)).all() if r.is_direct and r.chat_id != "oResident1"]
    assert len(alerts) == 1 and "【图片待查看】" in alerts[0] and "图片未能获取" in alerts[0]
    assert replies_to_resident(fake_api) == []


def staff_alerts(client: TestClient) -> list[str]:
    from storage.models import Outbox

    with session(client.server.app[ENGINE]) as s:
        return [r.text for r in s.exec(select(Outbox)).all() if r.is_direct and not r.chat_id.startswith("o")]


async def test_voice_without_recognition_from_a_vulnerable_resident_reaches_the_officer(client, fake_api):
    fake_api.add_media("V_ELDER", AMR, "audio/amr")
    fake_api.add_media("V_OTHER", AMR, "audio/amr")
    await post_mp(client, "voice", "<MediaId>V_OTHER</MediaId><Format>amr</Format>", "5101")
    await work(client)
    assert staff_alerts(client) == []  # an ordinary resident's voice note is kept, nobody is paged
    await post_mp(client, "voice", "<MediaId>V_ELDER</MediaId><Format>amr</Format>", "5102", sender="oElder")
    await work(client)
    [alert] = staff_alerts(client)
    assert "【语音待收听】重点关爱对象周奶奶" in alert and "语音：http://" in alert


async def test_voice_without_recognition_in_an_open_case_asks_the_officer_to_listen(client, fake_api):
    fake_api.add_media("V_CASE", AMR, "audio/amr")
    await post_mp(client, "text", "<Content>楼上邻居天天半夜装修电钻响，吵得睡不着，8栋2单元</Content>", "5201")
    await work(client)
    await post_mp(client, "voice", "<MediaId>V_CASE</MediaId><Format>amr</Format>", "5202")
    await work(client)
    listen = [a for a in staff_alerts(client) if "语音待收听" in a]
    assert listen and "1号反映人" in listen[0]
