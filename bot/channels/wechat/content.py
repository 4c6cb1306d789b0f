"""What a WeCom-app or Official Account XML message carries besides text: a photo, a voice note, a video, a
location, a link, a file. Parsed here into (kind, understood text, media references, details); nothing is
fetched at the edge — the media worker fetches each ``media_id`` through the channel's media API later.

Both platforms list text, image, voice, video/shortvideo, location and link; the Official Account adds
``Recognition`` to a voice note when speech recognition is switched on. Neither has a merged-chat-record
type: any other ``MsgType`` is stored as kind ``other`` (with a ``MediaId``, as a ``file``)."""
from __future__ import annotations

import json
from dataclasses import dataclass, replace

from bot.channels.base import ChannelError
from handlers.message import GroupMessage, MediaRef, location_details

MAX_LABEL = 500


@dataclass(frozen=True)
class Content:
    kind: str
    text: str = ""
    media: tuple[MediaRef, ...] = ()
    details: dict | None = None


def xml_content(message: object) -> Content | None:
    """The content of a parsed (wechatpy) non-text message; None for events (subscribe, enter_agent …)."""
    data = getattr(message, "_data", None) or {}
    raw_type = str(data.get("MsgType") or getattr(message, "type", "")).lower()
    if raw_type == "event":
        return None
    media_id = str(data.get("MediaId") or "")
    if raw_type == "image":
        return Content("image", media=(_ref("image", media_id),))
    if raw_type == "voice":
        recognition = str(data.get("Recognition") or "").strip()
        return Content("voice", text=recognition,
                       media=(_ref("voice", media_id, fmt=str(data.get("Format") or "")),))
    if raw_type in ("video", "shortvideo"):
        return Content("video", media=(_ref("video", media_id),))
    if raw_type == "location":
        label = str(data.get("Label") or "")[:MAX_LABEL]
        try:
            details = location_details(data.get("Location_X"), data.get("Location_Y"), label, data.get("Scale"))
        except ValueError as exc:
            raise ChannelError(400, str(exc)) from None
        return Content("location", text=label, details=details)
    if raw_type == "link":
        link = {key: str(data.get(field) or "")[:1000] for key, field in
                (("title", "Title"), ("description", "Description"), ("url", "Url"))}
        return Content("link", text=link_text(link), details={"link": link})
    if media_id:  # file, or a type neither platform documents yet: keep what it carries
        name = str(data.get("FileName") or data.get("Title") or "")[:200]
        return Content("file", media=(MediaRef("file", "media_id", media_id, name=name),),
                       details={"platform_type": raw_type[:40]})
    return Content("other", details={"platform_type": raw_type[:40]})


def _ref(kind: str, media_id: str, fmt: str = "") -> MediaRef:
    if not media_id:
        raise ChannelError(400, f"{kind} message without MediaId")
    return MediaRef(kind, "media_id", media_id, format=fmt[:20])


def link_text(link: dict) -> str:
    """What a shared link says: its title, description and address, one a line (the address is evidence)."""
    return "\n".join(part for part in (link.get("title"), link.get("description"), link.get("url")) if part)


def with_content(msg: GroupMessage, content: Content | None) -> GroupMessage:
    """A text message unchanged; else the message with its kind, understood text, media and details."""
    if content is None:
        return msg
    return replace(msg, kind=content.kind, text=content.text, media=content.media, details=content.details)


def record_content(record: object) -> Content:
    """A merged chat record: its title and each item's sender and words, one a line, as the text to understand."""
    record = record if isinstance(record, dict) else {}
    lines, items = [], []
    for item in (record.get("item") or record.get("items") or [])[:MAX_RECORD_ITEMS]:
        if not isinstance(item, dict):
            continue
        words = _record_words(item)
        name = str(item.get("sender_name") or item.get("sender") or item.get("name") or "")[:40]
        items.append({"sender": name, "text": words[:500]})
        if words:
            lines.append(f"{name}：{words}" if name else words)
    title = str(record.get("title") or "")[:200]
    return Content("record", "\n".join(lines)[:4000], details={"record": {"title": title, "items": items}})


def _record_words(item: dict) -> str:
    content = item.get("msg_content")
    if isinstance(content, str):
        try:
            content = json.loads(content)
        except ValueError:
            return content
    if isinstance(content, dict):
        item = content
    return _text(item)


MAX_RECORD_ITEMS = 100


def _text(item: dict) -> str:
    text = item.get("text")
    content = text.get("content") if isinstance(text, dict) else text
    return content if isinstance(content, str) else ""
