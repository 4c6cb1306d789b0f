"""Builders for signed and encrypted WeChat callbacks, as the platforms send them."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from wechatpy.work.crypto import WeChatCrypto as WorkCrypto

from bot.channels.wechat.security import hmac_sha256_hex, sha1_signature
from handlers.message import GroupMessage

VECTORS = json.loads((Path(__file__).parent / "data" / "wxbizmsgcrypt_vectors.json").read_text("utf-8"))

TOKEN = "gridToken123"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
CORP_ID = "ww0000000000grid"
BRIDGE_SECRET = "bridge-secret"
NOW_TS = 1793581200  # 2026-11-02 01:00:00 UTC, the FakeClock default


def at(ts: int | str) -> datetime:
    return datetime.fromtimestamp(int(ts), timezone.utc)


@dataclass
class Recorder:
    """The accept callable: records messages, or raises ``fail`` to play a broken store."""

    messages: list[GroupMessage] = field(default_factory=list)
    fail: Exception | None = None

    async def __call__(self, msg: GroupMessage) -> int:
        if self.fail is not None:
            raise self.fail
        self.messages.append(msg)
        return len(self.messages)


def wecom_text_xml(*, sender: str = "officer-1", content: str = "查案件 12", msg_id: str = "7001",
                   ts: int = NOW_TS, to: str = CORP_ID) -> str:
    return (f"<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{sender}]]></FromUserName>"
            f"<CreateTime>{ts}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>")


def encrypted_post(plain: str, *, receive_id: str = CORP_ID, token: str = TOKEN, ts: int = NOW_TS,
                   nonce: str = "5566") -> tuple[dict, str]:
    """(query, XML body) of a WeCom/OA safe-mode POST carrying ``plain``."""
    crypto = WorkCrypto(token, AES_KEY, receive_id)
    envelope = crypto.encrypt_message(plain, nonce, str(ts))
    encrypt = envelope.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    query = {"msg_signature": sha1_signature(token, str(ts), nonce, encrypt), "timestamp": str(ts), "nonce": nonce}
    body = f"<xml><ToUserName><![CDATA[{receive_id}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    return query, body


def encrypt_only(plain: str, *, receive_id: str, ts: int = NOW_TS, nonce: str = "5566") -> tuple[dict, str]:
    """(query, Encrypt value) for ``plain``: used for JSON envelopes and GET echostr."""
    query, body = encrypted_post(plain, receive_id=receive_id, ts=ts, nonce=nonce)
    return query, body.split("<Encrypt><![CDATA[")[1].split("]]>")[0]


def aibot_payload(**overrides: object) -> dict:
    payload = {"msgid": "CAIQ16HMjQYY", "aibotid": "AIBOTID", "chatid": "wrGRID1", "chattype": "group",
               "from": {"userid": "zhangsan"}, "msgtype": "text",
               "response_url": "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC",
               "text": {"content": "@网格助手 楼道灯坏了"}}
    payload.update(overrides)
    return payload


def bridge_event(**overrides: object) -> dict:
    event = {"v": 1, "source": "wechaty", "event": "message", "msg_id": "wx-msg-1", "ts": NOW_TS,
             "room": {"id": "R:10696051", "topic": "幸福社区3网格群"},
             "talker": {"id": "wxid_zhang", "name": "张三"}, "mention_self": True, "msg_type": "text",
             "text": "@网格助手\u2005楼道灯坏了", "text_clean": "楼道灯坏了"}
    event.update(overrides)
    return event


def signed_bridge(event: dict | bytes, *, secret: str = BRIDGE_SECRET, ts: int = NOW_TS) -> tuple[dict, bytes]:
    body = event if isinstance(event, bytes) else json.dumps(event, ensure_ascii=False).encode("utf-8")
    headers = {"X-Bridge-Timestamp": str(ts), "X-Bridge-Signature": hmac_sha256_hex(secret, str(ts), body),
               "Content-Type": "application/json"}
    return headers, body

