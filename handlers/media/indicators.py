"""What a scam is recognised by, from its words (typed or read from a screenshot) and its QR codes: phone
numbers, URLs and their domains, QR payloads, the apps it asks to install, accounts to pay or add.

An indicator is normalised so two reports of one scam agree (digits only for numbers, a lower-case host
without ``www.``); official numbers (96110, 110, banks' hotlines), well-known sites and everyday apps are left
out (``handlers/data/indicators.json``): they would tie unrelated reports together.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

DATA = Path(__file__).resolve().parent.parent / "data" / "indicators.json"
KINDS = ("phone", "url", "domain", "qr", "app", "account")
MAX_CHARS = 4000  # of a scam's words (typed, or read from a screenshot): more is not read; work per message is bounded
_TLDS = ("com|cn|net|org|top|xyz|cc|vip|shop|site|online|club|info|icu|link|live|pro|work|fun|asia|me|co|io|tv|"
         "hk|tw|app|ltd|wang|ink|biz|mobi|cloud|store|tech|space|website|life|world|today|win|bid|loan")
_URL_CHARS = r"[A-Za-z0-9\-._~%!$&*+,;=:@/?#]"  # ASCII only: the words after an address are not part of it
URL = re.compile(rf"(?i)\bhttps?://{_URL_CHARS}+")
DOMAIN = re.compile(rf"(?i)(?<![@a-z0-9.-])((?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS}))(?![a-z0-9-])"
                    rf"(/{_URL_CHARS}*)?")
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)")
LANDLINE = re.compile(r"(?<![\d-])(0\d{2,3})-?(\d{7,8})(?![\d-])")
HOTLINE = re.compile(r"(?<!\d)([48]00)[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
BANK_CARD = re.compile(r"(?<!\d)((?:\d{4}[ -]?){3}\d{4}(?:[ -]?\d{1,3})?)(?!\d)")
QQ = re.compile(r"(?i)(?:qq|扣扣)(?:号|群)?[:：\s]*([1-9]\d{4,10})(?!\d)")
WECHAT_ID = re.compile(r"(?i)(?:微信号?|vx|v信|wx|薇信|威信)[:：\s]*([a-z][-_a-z0-9]{5,19})(?![-_a-z0-9])")
APP_DOWNLOAD = re.compile(r"(?i)(?:下载|安装|注册)(?:一个|了|个)?[「“\"《]?([a-z0-9\u4e00-\u9fff]{2,10}?)[」”\"》]?"
                          r"(?:app|APP|App|软件|客户端|平台)")
APP_NAMED = re.compile(r"[「“\"《]([a-zA-Z0-9\u4e00-\u9fff]{2,10})[」”\"》](?:app|APP|App|软件|平台)")


@dataclass(frozen=True, order=True)
class Indicator:
    kind: str
    value: str


@cache
def _rules() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def extract(text: str, *, qr: tuple[str, ...] | list[str] = ()) -> list[Indicator]:
    """The indicators in a scam's words and in its QR payloads, each once, in a stable order."""
    text = unicodedata.normalize("NFKC", (text or "")[:MAX_CHARS])
    found: set[Indicator] = set()
    found |= _phones(text)
    found |= _links(text)
    found |= _accounts(text)
    found |= _apps(text)
    for payload in qr:
        payload = payload.strip()
        if payload:
            found.add(Indicator("qr", payload[:300]))
            found |= _links(payload)
    return sorted(found, key=lambda i: (KINDS.index(i.kind), i.value))


def _phones(text: str) -> set[Indicator]:
    official = set(_rules()["official_numbers"])
    numbers = {"".join(m.groups()) for pattern in (MOBILE, LANDLINE, HOTLINE) for m in pattern.finditer(text)}
    return {Indicator("phone", n) for n in numbers if n not in official}


def _links(text: str) -> set[Indicator]:
    found: set[Indicator] = set()
    for match in URL.finditer(text):
        url = match.group().rstrip(".,;:!?")
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
        if host and not _safe(host):
            found |= {Indicator("url", _clean_url(url)), Indicator("domain", host)}
    rest = URL.sub(" ", text)
    for match in DOMAIN.finditer(rest):
        host = match.group(1).lower().removeprefix("www.")
        if not _safe(host) and not host.replace(".", "").isdigit():
            found.add(Indicator("domain", host))
            if match.group(2) and len(match.group(2)) > 1:
                found.add(Indicator("url", _clean_url(f"http://{host}{match.group(2)}")))
    return found


def _clean_url(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}{'?' + parts.query if parts.query else ''}"[:300]


def _safe(host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in _rules()["safe_domains"])


def _accounts(text: str) -> set[Indicator]:
    found = {Indicator("account", "qq:" + m.group(1)) for m in QQ.finditer(text)}
    found |= {Indicator("account", "wechat:" + m.group(1).lower()) for m in WECHAT_ID.finditer(text)}
    phones = {"".join(m.groups()) for m in MOBILE.finditer(text)}
    for match in BANK_CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if 16 <= len(digits) <= 19 and digits not in phones and not _looks_like_id_card(digits):
            found.add(Indicator("account", "card:" + digits))
    return found


def _looks_like_id_card(digits: str) -> bool:
    return len(digits) == 18 and digits[6:8] in ("19", "20")


def _apps(text: str) -> set[Indicator]:
    common = {word.lower() for word in _rules()["common_apps"]}
    names = [m.group(1) for pattern in (APP_DOWNLOAD, APP_NAMED) for m in pattern.finditer(text)]
    return {Indicator("app", name.lower()) for name in names if name.lower() not in common and len(name) >= 2}
