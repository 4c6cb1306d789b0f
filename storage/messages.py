"""Read queries of Message beyond the inbox's hot path: a case's original messages, a chat's messages.
Keyword-only, session first, never commit."""
from __future__ import annotations

from typing import Sequence

from sqlmodel import Session, or_, select

from storage.models import Case, Message


def messages_of_case(session: Session, *, case_id: int, limit: int = 100) -> Sequence[Message]:
    """The messages that opened or followed up a case, oldest first."""
    stmt = select(Message).where(Message.case_id == case_id).order_by(Message.id).limit(limit)
    return session.exec(stmt).all()


def messages_in_chat(session: Session, *, channel: str, chat_id: str, limit: int = 200) -> Sequence[Message]:
    """The newest ``limit`` inbound messages of one chat (a group, or a person's direct chat), oldest first."""
    stmt = (select(Message).where(Message.channel == channel, Message.chat_id == chat_id)
            .order_by(Message.id.desc()).limit(limit))
    return list(reversed(session.exec(stmt).all()))


def linked_cases(session: Session, *, case: Case) -> Sequence[Case]:
    """Other residents' reports of the same incident: cases linked to this one, or the one it is linked to."""
    conditions = [Case.linked_to == case.id]
    if case.linked_to:
        conditions += [Case.id == case.linked_to, Case.linked_to == case.linked_to]
    stmt = select(Case).where(or_(*conditions), Case.id != case.id).order_by(Case.id)
    return session.exec(stmt).all()


def direct_chatters(session: Session, *, channel: str, limit: int = 200) -> Sequence[str]:
    """The ids of the chats on a channel in which someone wrote to the bot directly, by first message."""
    stmt = (select(Message.chat_id).where(Message.channel == channel, Message.is_direct.is_(True))
            .group_by(Message.chat_id).order_by(Message.chat_id).limit(limit))
    return session.exec(stmt).all()
