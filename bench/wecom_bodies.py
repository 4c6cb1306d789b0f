"""Signed, AES-encrypted WeCom callback requests for wrk to replay (bench/wrk/replay.lua): one line each,
``<path?msg_signature=…&timestamp=…&nonce=…>\\t<XML envelope>``, every one a text message with its own MsgId."""
from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlencode

from wechatpy.work.crypto import WeChatCrypto

from bot.channels.wechat.security import sha1_signature

TOKEN = "benchToken123"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
CORP_ID = "ww0000000000bench"
SANDBOX_TOKEN = "bench-sandbox-token-0001"  # the sandbox beside a real channel needs its own token
WECOM_SECTION = f"""
[wecom]
enabled = true
corp_id = "{CORP_ID}"
agent_id = "1000002"
secret = "bench-secret"
token = "{TOKEN}"
aes_key = "{AES_KEY}"
api_base = "http://127.0.0.1:9"
"""


def write_bodies(path: Path, *, first_id: int, n: int) -> Path:
    """``n`` requests with message ids ``first_id`` onwards, timestamped now (the callback's window is 5 min)."""
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
    ts = str(int(time.time()))
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            plain = (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
                     f"<FromUserName><![CDATA[resident-{i % 50}]]></FromUserName><CreateTime>{ts}</CreateTime>"
                     "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[收到，谢谢大家]]></Content>"
                     f"<MsgId>{first_id + i}</MsgId><AgentID>1000002</AgentID></xml>")
            nonce = str(first_id + i)
            envelope = crypto.encrypt_message(plain, nonce, ts)
            encrypt = envelope.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
            query = urlencode({"msg_signature": sha1_signature(TOKEN, ts, nonce, encrypt), "timestamp": ts,
                               "nonce": nonce})
            body = f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
            out.write(f"/wechat/wecom?{query}\t{body}\n")
    return path
