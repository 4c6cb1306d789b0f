"""Every message type reaches the core on every channel: photos, voice notes, videos, files, locations, links and
merged chat records, parsed at the edge into references (nothing is fetched there)."""
from __future__ import annotations

import base64
import json

import pytest

from tests.bot.channels.helpers import (
    CORP_ID,
    NOW_TS,
    aibot_payload,
    bridge_event,
    encrypt_only,
    encrypted_post,
    signed_bridge,
)


def xml(msg_type: str, fields: str, *, sender: str = "oResident1", msg_id: str = "900") -> str:
    return (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{sender}]]></FromUserName>"
            f"<CreateTime>{NOW_TS}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>{fields}"
            f"<MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>")


XML_CASES = [  # (MsgType, fields, kind, text, media (kind, source, ref), details)
    ("image", "<PicUrl>http://p/1</PicUrl><MediaId>MEDIA_IMG</MediaId>", "image", "",
     [("image", "media_id", "MEDIA_IMG")], None),
    ("voice", "<MediaId>MEDIA_VOICE</MediaId><Format>amr</Format><Recognition>有人冒充公安让我转账</Recognition>",
     "voice", "有人冒充公安让我转账", [("voice", "media_id", "MEDIA_VOICE")], None),
    ("voice", "<MediaId>MEDIA_VOICE2</MediaId><Format>speex</Format>", "voice", "",
     [("voice", "media_id", "MEDIA_VOICE2")], None),
    ("video", "<MediaId>MEDIA_VID</MediaId><ThumbMediaId>T</ThumbMediaId>", "video", "",
     [("video", "media_id", "MEDIA_VID")], None),
    ("shortvideo", "<MediaId>MEDIA_SV</MediaId><ThumbMediaId>T</ThumbMediaId>", "video", "",
     [("video", "media_id", "MEDIA_SV")], None),
    ("location", "<Location_X>31.230416</Location_X><Location_Y>121.473701</Location_Y><Scale>15</Scale>"
     "<Label><![CDATA[幸福小区8栋]]></Label>", "location", "幸福小区8栋", [],
     {"location": {"lat": 31.230416, "lng": 121.473701, "label": "幸福小区8栋", "scale": "15"}}),
    ("link", "<Title><![CDATA[医保卡异常通知]]></Title><Description><![CDATA[点击办理]]></Description>"
     "<Url><![CDATA[http://yb-gov.top/x]]></Url>", "link", "医保卡异常通知\n点击办理\nhttp://yb-gov.top/x", [],
     {"link": {"title": "医保卡异常通知", "description": "点击办理", "url": "http://yb-gov.top/x"}}),
    ("file", "<MediaId>MEDIA_FILE</MediaId><FileName>合同.pdf</FileName>", "file", "",
     [("file", "media_id", "MEDIA_FILE")], {"platform_type": "file"}),
    ("miniprogrampage", "<Title>x</Title>", "other", "", [], None),
]


@pytest.mark.parametrize("path", ["/wechat/wecom", "/wechat/mp"])
@pytest.mark.parametrize("msg_type,fields,kind,text,media,details", XML_CASES)
async def test_xml_channels_accept_every_message_type(callbacks, recorder, path, msg_type, fields, kind, text,
                                                      media, details):
    query, body = encrypted_post(xml(msg_type, fields))
    params = {**query, "encrypt_type": "aes"} if path.endswith("mp") else query
    resp = await callbacks.post(path, params=params, data=body.encode())
    assert resp.status == 200
    [msg] = recorder.messages
    assert (msg.kind, msg.text, msg.is_direct) == (kind, text, True)
    assert [(m.kind, m.source, m.ref) for m in msg.media] == media
    if details is not None:
        assert msg.details == details
    assert msg.waits_for_media == (kind == "image")


async def test_xml_location_outside_the_earth_is_refused(callbacks, recorder):
    query, body = encrypted_post(xml("location", "<Location_X>123</Location_X><Location_Y>500</Location_Y>"))
    resp = await callbacks.post("/wechat/wecom", params=query, data=body.encode())
    assert resp.status == 400 and recorder.messages == []


async def post_aibot(client, payload: dict):  # noqa: ANN001, ANN201
    query, encrypt = encrypt_only(json.dumps(payload, ensure_ascii=False), receive_id="")
    return await client.post("/wechat/aibot", params=query, json={"encrypt": encrypt})


AIBOT_CASES = [  # (overrides, kind, text, media refs)
    ({"msgtype": "image", "image": {"url": "https://img/enc1"}, "chattype": "single"}, "image", "",
     ["https://img/enc1"]),
    ({"msgtype": "voice", "voice": {"content": "有人说我医保卡异常让我转账"}, "chattype": "single"}, "voice",
     "有人说我医保卡异常让我转账", []),
    ({"msgtype": "file", "file": {"url": "https://file/enc2"}, "chattype": "single"}, "file", "",
     ["https://file/enc2"]),
    ({"msgtype": "merged_msg", "merged_msg": {"title": "群聊的聊天记录", "item": [
        {"sender_name": "王阿姨", "msg_content": json.dumps({"text": {"content": "加这个客服领退款"}})},
        {"sender_name": "客服", "msgtype": "text", "text": {"content": "下载会议软件共享屏幕"}}]}},
     "record", "王阿姨：加这个客服领退款\n客服：下载会议软件共享屏幕", []),
]


@pytest.mark.parametrize("overrides,kind,text,refs", AIBOT_CASES)
async def test_aibot_accepts_images_voice_files_and_records(callbacks, recorder, overrides, kind, text, refs):
    payload = aibot_payload(**overrides)
    if payload["chattype"] == "single":
        payload.pop("chatid")
    assert (await post_aibot(callbacks, payload)).status == 200
    [msg] = recorder.messages
    assert (msg.kind, msg.text, [m.ref for m in msg.media]) == (kind, text, refs)
    assert all(m.source == "url" for m in msg.media)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

BRIDGE_CASES = [  # (event overrides, kind, text, media (kind, source, ref, data), details key)
    ({"msg_type": "image", "media": {"data_base64": base64.b64encode(PNG).decode()}, "text": ""}, "image", "",
     [("image", "inline", "", PNG)], None),
    ({"msg_type": "image", "media": {"url": "https://gw.example/m/1.jpg"}, "text": ""}, "image", "",
     [("image", "url", "https://gw.example/m/1.jpg", None)], None),
    ({"msg_type": "audio", "media": {"url": "https://gw.example/m/2.silk", "format": "silk"},
      "text": "", "text_clean": ""}, "voice", "", [("voice", "url", "https://gw.example/m/2.silk", None)], None),
    ({"msg_type": "video", "media": {"url": "https://gw.example/m/3.mp4"}}, "video", "",
     [("video", "url", "https://gw.example/m/3.mp4", None)], None),
    ({"msg_type": "attachment", "media": {"url": "https://gw.example/m/4.pdf", "name": "欠条.pdf"}}, "file", "",
     [("file", "url", "https://gw.example/m/4.pdf", None)], None),
    ({"msg_type": "location", "location": {"lat": 31.2, "lng": 121.4, "label": "幸福小区东门"}}, "location",
     "幸福小区东门", [], "location"),
    ({"msg_type": "url", "link": {"title": "领取补贴", "url": "http://bt-gov.cc/a"}}, "link",
     "领取补贴\nhttp://bt-gov.cc/a", [], "link"),
    ({"msg_type": "chat_history", "record": {"title": "聊天记录", "items": [{"sender": "李四", "text": "转账给我"}]}},
     "record", "李四：转账给我", [], "record"),
    ({"msg_type": "emoticon"}, "other", "", [], "platform_type"),
]


@pytest.mark.parametrize("overrides,kind,text,media,details_key", BRIDGE_CASES)
async def test_bridge_accepts_every_message_type(callbacks, recorder, overrides, kind, text, media, details_key):
    event = bridge_event(**overrides)
    if kind != "voice":
        event.pop("text_clean")
    headers, body = signed_bridge(event)
    resp = await callbacks.post("/bridge", data=body, headers=headers)
    assert resp.status == 200, await resp.text()
    [msg] = recorder.messages
    assert (msg.kind, msg.text) == (kind, text)
    assert [(m.kind, m.source, m.ref, m.data) for m in msg.media] == media
    if details_key:
        assert details_key in msg.details


@pytest.mark.parametrize("overrides,error", [
    ({"msg_type": "image"}, "media object"),
    ({"msg_type": "image", "media": {"data_base64": "%%%"}}, "base64"),
    ({"msg_type": "image", "media": {"url": "file:///etc/passwd"}}, "http(s) url"),
    ({"msg_type": "location", "location": {"lat": "north", "lng": 1}}, "numbers"),
    ({"msg_type": "hologram"}, "unknown msg_type"),
])
async def test_bridge_refuses_malformed_media_events(callbacks, recorder, overrides, error):
    headers, body = signed_bridge(bridge_event(**overrides))
    resp = await callbacks.post("/bridge", data=body, headers=headers)
    assert resp.status == 400 and error in (await resp.json())["error"]
    assert recorder.messages == []
