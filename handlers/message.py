"""The message types every channel produces and every handler consumes, and what handlers know of channels."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

MESSAGE_KINDS = ("text", "image", "voice", "video", "file", "location", "link", "record", "other")
MEDIA_KINDS = ("image", "voice", "video", "file")


@dataclass(frozen=True, slots=True)
class MediaRef:
    """Where a message's photo, voice note, video or file can be fetched from; nothing is fetched at the edge.

    ``source``: ``media_id`` (the platform's media API, ``ref`` is the id), ``url`` (``ref`` is the address;
    for the AI bot the file there is encrypted with the callback's AES key), ``inline`` (``data`` holds the
    bytes, as the sandbox and the bridge may send them).
    """

    kind: str  # image, voice, video, file
    source: str
    ref: str = ""
    data: bytes | None = None
    name: str = ""  # a file's name as sent
    format: str = ""  # what the platform called it (amr, speex, mp4 …)


def location_details(lat: object, lng: object, label: object = "", scale: object = None) -> dict:
    """A location pin as stored on the message; ValueError for coordinates that are not on the earth."""
    try:
        lat_f, lng_f = float(lat), float(lng)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError("location lat and lng must be numbers") from None
    if not (-90 <= lat_f <= 90 and -180 <= lng_f <= 180):
        raise ValueError("location lat must be within ±90 and lng within ±180")
    details: dict = {"lat": round(lat_f, 6), "lng": round(lng_f, 6), "label": str(label or "")[:200]}
    if scale not in (None, ""):
        details["scale"] = str(scale)[:10]
    return {"location": details}


@dataclass(frozen=True, slots=True)
class GroupMessage:
    """One inbound message, as a channel adapter parsed it.

    ``chat_id`` is the channel's own id of the chat: a group id, or for a direct
    chat the sender's id on that channel.  Mapping channel ids to grid groups and
    people is the pipeline's job, not the adapter's.
    """

    channel: str  # "sandbox", "wecom", "aibot", "mp", "bridge"
    chat_id: str
    sender_id: str
    text: str
    channel_msg_id: str
    sent_at: datetime  # timezone-aware
    is_direct: bool = False
    mentions_bot: bool = False
    sender_name: str | None = None
    # Channel-specific data the sender needs for a reply (e.g. an AI-bot response_url).
    reply_hint: dict = field(default_factory=dict)
    # What was sent (MESSAGE_KINDS). For anything but text, ``text`` is what can be understood without
    # fetching: a voice note's recognition, a link's title and address, a record's lines, a location's label.
    kind: str = "text"
    media: tuple[MediaRef, ...] = ()
    details: dict | None = None  # {"location": {lat, lng, label}}, {"link": {...}}, {"record": {...}}

    @property
    def waits_for_media(self) -> bool:
        """An image is understood by reading it: the message waits until the media worker has."""
        return any(m.kind == "image" for m in self.media)


@dataclass(frozen=True)
class ChannelDirectory:
    """What handlers know of the channels, without importing them (built by ``bot.channels.registry``).

    ``identity``: channel → the account family of the ids it speaks (None: a person's own id, as in the
    sandbox). ``direct``: account family → the channel that sends direct messages to its ids.
    """

    identity: dict[str, str | None]
    direct: dict[str, str]
    titles: dict[str, str]  # channel → its name as officers read it (企业微信应用)

    def family(self, channel: str) -> str | None:
        return self.identity.get(channel)

    def title(self, channel: str) -> str:
        return self.titles.get(channel, channel)

    def direct_channel(self, family: str | None) -> str | None:
        return self.direct.get(family) if family else None
