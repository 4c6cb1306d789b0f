"""Queries of ChatGroup: the chats the bot is in, bound to grids or waiting for /bind. Keyword-only, session
first, never commit."""
from __future__ import annotations

from functools import cache
from typing import Sequence

from sqlalchemy import bindparam
from sqlmodel import Session, select

from storage.models import ChatGroup


def find_group(session: Session, *, channel: str, chat_id: str) -> ChatGroup | None:
    """The group of a chat (every message asks: the statement is built once, its values bound)."""
    return session.scalars(_group_of_chat(), {"channel": channel, "chat_id": chat_id}).first()


@cache
def _group_of_chat():  # noqa: ANN202
    return select(ChatGroup).where(ChatGroup.channel == bindparam("channel"), ChatGroup.chat_id == bindparam("chat_id"))


def count_unbound(session: Session, *, channel: str) -> int:
    """How many groups of ``channel`` wait for /bind."""
    from sqlalchemy import func

    stmt = select(func.count()).select_from(ChatGroup).where(ChatGroup.channel == channel,
                                                              ChatGroup.grid_id.is_(None))
    return session.exec(stmt).one()


def groups_of_grid(session: Session, *, grid_id: str) -> Sequence[ChatGroup]:
    return session.exec(select(ChatGroup).where(ChatGroup.grid_id == grid_id).order_by(ChatGroup.id)).all()


def bound_groups(session: Session) -> Sequence[ChatGroup]:
    return session.exec(select(ChatGroup).where(ChatGroup.grid_id.is_not(None)).order_by(ChatGroup.id)).all()


TAG = "tag:"  # a target naming a group tag (tag:商铺) rather than a grid


def groups_of_targets(session: Session, *, targets: Sequence[str]) -> list[ChatGroup]:
    """The bound groups of the target grids and tags (``["all"]``: every bound group), each once."""
    if "all" in targets:
        return list(bound_groups(session))
    found: dict[int, ChatGroup] = {}
    tags = {t[len(TAG):] for t in targets if t.startswith(TAG)}
    if tags:
        for group in bound_groups(session):
            if tags.intersection(group.tags or ()):
                found.setdefault(group.id, group)
    for grid_id in (t for t in targets if not t.startswith(TAG)):
        for group in groups_of_grid(session, grid_id=grid_id):
            found.setdefault(group.id, group)
    return sorted(found.values(), key=lambda g: g.id)


def target_chats(session: Session, *, targets: Sequence[str]) -> list[tuple[int, str, str]]:
    """(group id, channel, chat id) of the same groups as ``groups_of_targets``, read as plain rows (no ORM object
    per group: a city's 6,702 groups in milliseconds)."""
    columns = (ChatGroup.id, ChatGroup.channel, ChatGroup.chat_id, ChatGroup.grid_id, ChatGroup.tags)
    rows = session.execute(select(*columns).where(ChatGroup.grid_id.is_not(None)).order_by(ChatGroup.id)).all()
    if "all" in targets:
        return [(gid, channel, chat) for gid, channel, chat, _, _ in rows]
    tags = {t[len(TAG):] for t in targets if t.startswith(TAG)}
    grids = {t for t in targets if not t.startswith(TAG)}
    return [(gid, channel, chat) for gid, channel, chat, grid, group_tags in rows
            if grid in grids or tags.intersection(group_tags or ())]


def group_tags(session: Session) -> list[str]:
    """Every tag of a bound group, sorted."""
    return sorted({tag for group in bound_groups(session) for tag in group.tags or ()})


def groups_on_channel(session: Session, *, channel: str, limit: int = 500) -> Sequence[ChatGroup]:
    return session.exec(select(ChatGroup).where(ChatGroup.channel == channel).order_by(ChatGroup.id).limit(limit)).all()
