"""A residents' group's scheduled safety notices and broadcasts by Official Account template message, when the
group's own channel (and its group robot) surely did not take them.

Only copies meant for every resident go this way: a broadcast to grids (or to all), or a scheduled notice — they
carry ``storage.followers.EVERY_RESIDENT`` in their hint from where they are written. A reply, a warning
about one resident's report, anything about a case, a broadcast or notice aimed at tagged groups (商铺) and any
direct message never do; nor does a group on WeCom (its members are staff).

The group's copy becomes one direct copy to each person of the group's grid who follows the Official Account
(``storage/followers.py``), sent by the ``mp`` channel as a template message (模板消息: a title, the start of the
text, the time and the group's name, in the template's fields as ``[mp] notice_template_fields`` names them). The
group's receipt then says it was handed to the followers. Each follower's copy is an outbox row of its own, keyed
by the broadcast or notice run it belongs to (the hint's ``origin``) and the openid, so a follower gets it once
whatever retries or restarts happen, and once if two groups of the grid both fail; a follower who has left the
account (43004) fails alone. With no follower in the grid the group copy waits for its own channel.
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from datetime import datetime, tzinfo

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from bot.channels.base import NoRoute, NotDelivered, OutboundMessage
from bot.clock import Clock
from storage import followers, groups, outbox
from storage.db import session as new_session

log = logging.getLogger("bot.follower_notices")

FOLLOWERS = "mp_followers"  # the failover route's name; the copies themselves go by the "mp" channel
TITLES = {"notice": "平安提示", "broadcast": "社区通知"}
TEXT_CHARACTERS = 20  # a template's text field (thing) shows at most 20 characters
TEMPLATE_PARTS = ("title", "text", "time", "group")


def meant_for_residents(message: OutboundMessage) -> bool:
    return all(message.reply_hint.get(k) == v for k, v in followers.EVERY_RESIDENT.items()) and not message.is_direct


def copy_key(*, origin: str, openid: str) -> str:
    """One follower's copy of one broadcast or notice run (``origin``, from the hint the copies were written with),
    whichever group of the grid it failed over from (``storage.followers.copy_counts`` counts them by origin)."""
    return f"follower:{origin}:{openid}"


def summary(text: str, limit: int = TEXT_CHARACTERS) -> str:
    """The copy's first characters on one line, ``…`` where it was cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit - 1] + "…"


def template_parts(*, kind: str, text: str, group_name: str, at: datetime, tz: tzinfo) -> dict[str, str]:
    return {"title": TITLES.get(kind, TITLES["notice"]), "text": summary(text),
            "time": at.astimezone(tz).strftime("%Y-%m-%d %H:%M"), "group": summary(group_name or "网格群")}


class FollowerNotices:
    """The ``mp_followers`` route: queues the group copy for the grid's followers (the outbox sends them)."""

    channel = FOLLOWERS

    def __init__(self, *, engine: Engine, executor: Executor, clock: Clock, tz: tzinfo) -> None:
        self._engine, self._executor, self._clock, self._tz = engine, executor, clock, tz

    async def send(self, message: OutboundMessage) -> None:
        if not meant_for_residents(message):
            raise NoRoute(f"{FOLLOWERS}: only notices and broadcasts meant for every resident go to followers")
        try:
            queued, found = await asyncio.get_running_loop().run_in_executor(self._executor, self._queue, message)
        except DBAPIError as exc:  # nothing queued (the transaction rolled back): the copy waits, not in doubt
            raise NotDelivered(f"{FOLLOWERS}: followers unreadable ({type(exc).__name__})") from None
        if found is None:
            raise NotDelivered(f"{FOLLOWERS}: this process no longer holds the group's copy")
        if not found:
            raise NoRoute(f"{FOLLOWERS}: no follower of the Official Account in the group's grid")
        log.info("outbox %s: the group's copy queued for %d followers (%d already had it)", message.id, queued,
                 found - queued)

    def _queue(self, message: OutboundMessage) -> tuple[int, int | None]:
        """(rows queued, followers found); followers None when the group's copy is no longer this process's."""
        group_channel = str(message.reply_hint.get("rerouted_from", ""))
        with new_session(self._engine) as session:
            if not outbox.holds(session, row_id=message.id, token=str(message.reply_hint.get("lease_token", ""))):
                return 0, None
            group = groups.find_group(session, channel=group_channel, chat_id=message.chat_id)
            if group is None or group.grid_id is None:
                return 0, 0
            openids = followers.followers_of_grid(session, grid_id=group.grid_id)
            now = self._clock.now()
            origin = str(message.reply_hint.get("origin") or f"copy-{message.id}")
            parts = template_parts(kind=message.kind, text=message.text, group_name=group.name, at=now, tz=self._tz)
            keys = {openid: copy_key(origin=origin, openid=openid) for openid in openids}
            queued = followers.queue_copies(session, keys=keys, text=message.text, kind=message.kind,
                                            hint={"template": parts}, now=now)
            session.commit()
        return queued, len(openids)
