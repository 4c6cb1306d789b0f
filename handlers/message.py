"""The message types every channel produces and every handler consumes, and what handlers know of channels."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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
