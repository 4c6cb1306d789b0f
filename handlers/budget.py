"""The public reply budget: how much the bot may say in one group, and to one sender there, within a window.

A runaway loop (two bots answering each other, a resident pasting the bot's words back) and a flood cannot make
the bot speak in a group without end: past GROUP_REPLIES public replies in GROUP_WINDOW, or SENDER_REPLIES to one
sender, a reply to the group is left out (the officers' direct alerts are not: they are not public). Broadcasts,
scheduled notices and the agenda are officers' decisions and do not count."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlmodel import Session

from storage import audit, inbox, outbox
from storage.models import AuditEntry, Message

log = logging.getLogger(__name__)
GROUP_WINDOW = timedelta(minutes=10)
GROUP_REPLIES = 20  # public replies in one group per GROUP_WINDOW
SENDER_REPLIES = 5  # public replies to one sender in one group per GROUP_WINDOW
REPLY_KINDS = ("reply", "alert")  # what the bot writes in answer to a message; other kinds are officers' decisions
EXHAUSTED = "reply_budget"


def allows_public_reply(session: Session, *, message: Message, now: datetime) -> bool:
    """Whether one more public reply to ``message`` stays within the group's and the sender's budget."""
    since = now - GROUP_WINDOW
    in_group = outbox.count_in_chat(session, channel=message.channel, chat_id=message.chat_id, since=since,
                                    kinds=REPLY_KINDS)
    if in_group >= GROUP_REPLIES:
        _note(session, message=message, now=now, why="group")
        return False
    earlier = inbox.sender_history(session, message=message, since=message.received_at - GROUP_WINDOW,
                                   limit=SENDER_REPLIES * 4)
    answered = outbox.public_replies_to(session, message_ids=[m.id for m in earlier], channel=message.channel,
                                        chat_id=message.chat_id, since=message.received_at - GROUP_WINDOW)
    if answered >= SENDER_REPLIES:
        _note(session, message=message, now=now, why="sender")
        return False
    return True


def _note(session: Session, *, message: Message, now: datetime, why: str) -> None:
    """One audit entry per chat and window, so that an admin can see the budget ran out (and why)."""
    detail = f"{message.channel}:{message.chat_id} {why}"
    if any(e.detail == detail for e in audit.audit_since(session, action=EXHAUSTED, since=now - GROUP_WINDOW)):
        return
    log.warning("public reply budget exhausted in %s:%s (%s)", message.channel, message.chat_id, why)
    session.add(AuditEntry(at=now, actor_id="gridbot", action=EXHAUSTED, detail=detail))
