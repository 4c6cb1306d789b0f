"""One stored message in, decisions out: command, silence, or the handler for its intent."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from handlers import texts
from handlers.context import Context
from handlers.intents import INTENT_HANDLERS
from handlers.message import ChannelDirectory
from handlers.router import parse_command
from handlers.routines.followup import on_survey_answer
from storage import groups, outbox, people
from storage.models import AuditEntry, ChatGroup, Message

STAFF_ROLES = {"officer", "admin", "mediator", "grid_worker"}


def handle_message(
    session: Session, *, message: Message, config: Any, now: datetime, classifier: Any, commands: Any,
    channels: ChannelDirectory,
) -> None:
    """Decide what one message means and write the consequences into the session (no commit)."""
    group = None if message.is_direct else _group_of(session, message, now)
    family = channels.family(message.channel)
    dm_channel = message.channel if message.is_direct else channels.direct_channel(family)
    sender = people.resident_for(session, family=family, sender_id=message.sender_id, name=message.sender_name,
                                 grid_id=group.grid_id if group else None, dm_channel=dm_channel)
    ctx = Context(session=session, config=config, now=now, message=message, sender=sender, group=group,
                  classifier=classifier, commands=commands, channels=channels)
    call = parse_command(message.text)
    if call is not None:
        commands.dispatch(call, ctx)
        return
    if message.is_direct and sender.role == "resident" and on_survey_answer(ctx):
        return  # the answer to a follow-up survey (回访)
    if group is not None and group.grid_id is None:
        return  # a group nobody has bound yet: listen to commands only
    if not message.text.strip():
        return
    if sender.role in STAFF_ROLES:
        if message.is_direct:
            ctx.reply(commands.help_text(sender.role))
        return  # staff talking in a group is not a report
    ctx.label = classifier.classify(message.text)
    message.intent = ctx.label.intent
    message.label = ctx.label.to_dict()
    INTENT_HANDLERS[ctx.label.intent](ctx)


def _group_of(session: Session, message: Message, now: datetime) -> ChatGroup:
    group = groups.find_group(session, channel=message.channel, chat_id=message.chat_id)
    if group is not None:
        return group
    topic = str(message.reply_hint.get("topic") or "")
    group = ChatGroup(channel=message.channel, chat_id=message.chat_id, name=topic)
    session.add(group)
    session.add(AuditEntry(at=now, actor_id="gridbot", action="unknown_group",
                           detail=f"{message.channel}:{message.chat_id} {topic}".strip()))
    session.flush()
    notice = texts.UNBOUND_GROUP_NOTICE.format(channel=message.channel, chat=message.chat_id,
                                               topic=f" {topic}" if topic else "")
    for n, admin in enumerate(people.people_with_role(session, role="admin"), start=1):
        channel, chat_id = people.direct_address(admin)
        outbox.enqueue(session, now=now, idempotency_key=f"msg-{message.id}-bind-{n}", channel=channel,
                       chat_id=chat_id, text=notice, is_direct=True, kind="alert")
    return group
