"""What every inbound message must be before it is stored: text the database can hold, ids of a bounded length.

PostgreSQL refuses a NUL character in text and JSON, UTF-8 cannot encode a lone surrogate (``\\ud800``), and a
unique index cannot hold a 10 KB key: stored as they came, such messages fail on every try. So at the edge, the
words are cleaned (NUL and other control characters dropped, lone surrogates replaced by U+FFFD, the length
capped) and an id that is empty, too long or not clean text is refused with a 400 — a refusal the platform
does not retry forever, where a 503 would be retried. docs/reliability.md, "Edge: input and sandbox".
"""
from __future__ import annotations

import re
from dataclasses import replace

from bot.channels.base import ChannelError
from handlers.message import GroupMessage

MAX_ID = 128  # message id, sender id, chat id: WeCom, OA and wechaty ids are under 64 characters
MAX_TEXT = 8000  # characters kept of a message's words (a WeCom text is at most 2,048 bytes)
MAX_NAME = 64  # a sender's display name
MAX_FIELD = 2000  # any other string the message carries (reply hints, details, media references)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not \t \n \r
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_BAD_ID = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def clean_text(value: str, limit: int = MAX_TEXT) -> str:
    """``value`` without NUL or control characters, lone surrogates as U+FFFD, at most ``limit`` characters."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", value[:limit * 2]))[:limit]


def check_id(name: str, value: str) -> str:
    """The id itself, or a 400 naming the field: non-empty, at most MAX_ID characters, no control character
    or lone surrogate."""
    if not isinstance(value, str) or not value.strip():
        raise ChannelError(400, f"{name} must be a non-empty string")
    if len(value) > MAX_ID:
        raise ChannelError(400, f"{name} longer than {MAX_ID} characters")
    if _BAD_ID.search(value):
        raise ChannelError(400, f"{name} holds control characters or lone surrogates")
    return value


def clean_value(value: object, limit: int = MAX_FIELD, depth: int = 0) -> object:
    """A JSON-like value (dicts, lists, strings, numbers) with every string cleaned; deeper than 8 levels is cut."""
    if isinstance(value, str):
        return clean_text(value, limit)
    if depth >= 8:
        return None
    if isinstance(value, dict):
        return {clean_text(str(k), 200): clean_value(v, limit, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_value(v, limit, depth + 1) for v in value]
    return value


def clean_message(msg: GroupMessage) -> GroupMessage:
    """The message as the database can hold it; ChannelError(400) for an id it must not store."""
    check_id("message id", msg.channel_msg_id)
    check_id("chat id", msg.chat_id)
    check_id("sender id", msg.sender_id)
    name = clean_text(msg.sender_name, MAX_NAME) if msg.sender_name else msg.sender_name
    media = tuple(replace(ref, ref=clean_text(ref.ref, MAX_FIELD), name=clean_text(ref.name, 200),
                          format=clean_text(ref.format, 20)) for ref in msg.media)
    cleaned = {"text": clean_text(msg.text or ""), "sender_name": name, "media": media,
               "reply_hint": clean_value(msg.reply_hint or {}),
               "details": clean_value(msg.details) if msg.details is not None else None}
    if all(getattr(msg, field) == value for field, value in cleaned.items()):
        return msg  # the common case: nothing to clean, no copy (dataclasses.replace is a tenth of accepting)
    return replace(msg, **cleaned)


def short(value: object, limit: int = 80) -> str:
    """A value as a log line may show it: at most ``limit`` characters, with the full length when cut."""
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}…({len(text)} chars)"

