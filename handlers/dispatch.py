"""One stored message in, decisions out. The routers and the order in which a message meets them are declared
here: the bot's own messages are dropped; a command first, then an attachment, then a pending conversation (whose
answers may well repeat: "1", "满意"), then the loop guard (echoes of the bot's words, repeats, floods:
handlers/flood.py), then the bot joining a group, then silence in unbound groups and for staff talk, then a
resident addressing the bot itself or asking for their case's progress, then the one route of the message's
intent."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable

from sqlmodel import Session

from handlers import flood, texts
from handlers.commands import (
    agenda, broadcast, cases, casework, corrections, dissuasion, faq, general, households, progress, scamwords, stats,
)
from handlers.context import Context
from handlers.intents import chatter, dispute, fraud, help, inquiry
from handlers.media import evidence
from handlers.message import ChannelDirectory
from handlers.nlu.label import INTENTS
from handlers.roles import STAFF
from handlers.router import Router, Routes, parse_command
from handlers.routines import checkin_replies, followup, introduce
from storage import audit, groups, outbox, people
from storage.models import AuditEntry, ChatGroup, Message, Role

ROUTERS: tuple[Router, ...] = (
    general.router, cases.router, casework.router, corrections.router, stats.router, broadcast.router, scamwords.router,
    agenda.router, households.router, dissuasion.router, faq.router, progress.router, checkin_replies.router,
    followup.router,
    dispute.router, inquiry.router, fraud.router, help.router, chatter.router,
)


def build_routes(aliases: dict[str, list[str]] | None = None) -> Routes:
    """Every route; raises RouteError on a duplicate command or alias, or an intent without exactly one route."""
    return Routes(ROUTERS, intents=INTENTS, aliases=aliases)


def handle_message(
    session: Session, *, message: Message, config: Any, now: datetime, classifier: Any, routes: Routes,
    channels: ChannelDirectory, faq: Any = None,
) -> None:
    """Decide what one message means and write the consequences into the session (no commit)."""
    group = None if message.is_direct else _group_of(session, message, now, channels)
    family = channels.family(message.channel)
    dm_channel = message.channel if message.is_direct else channels.direct_channel(family)
    sender = people.resident_for(session, family=family, sender_id=message.sender_id, name=message.sender_name,
                                 grid_id=group.grid_id if group else None, dm_channel=dm_channel)
    ctx = Context(session=session, config=config, now=now, message=message, sender=sender, group=group,
                  classifier=classifier, routes=routes, channels=channels, faq=faq)
    for step in PRECEDENCE:
        if step(ctx):
            return


def _command(ctx: Context) -> bool:
    call = parse_command(ctx.message.text)
    if call is None:
        return False
    ctx.routes.run_command(call, ctx)
    return True


def _own(ctx: Context) -> bool:
    """The bot's own message, as a channel reports it back (the bridge's ``self``): never handled."""
    return bool(ctx.message.reply_hint.get("from_self")) and flood.is_own_or_echo(ctx)


def _loop_guard(ctx: Context) -> bool:
    """A resident's echo of the bot's words, a repeated text, a sender past their limit (handlers/flood.py)."""
    if ctx.sender.role in STAFF or not ctx.message.text.strip() or (ctx.group is not None and ctx.group.grid_id is None):
        return False
    if flood.is_own_or_echo(ctx):
        return True
    earlier = flood.sender_history(ctx)
    return flood.is_repeat(ctx, earlier) or flood.is_flood(ctx, earlier)


def _attachment(ctx: Context) -> bool:
    """A location pin, a voice note without recognition, a photo without words, a video or a file: evidence for
    the sender's open case, or for the officer to look at (handlers/media/evidence.py)."""
    return evidence.on_attachment(ctx)


def _conversation(ctx: Context) -> bool:
    """A pending exchange of the sender (the follow-up survey 回访, a clarifying question) takes its answer."""
    return any(conversation.handler(ctx) for conversation in ctx.routes.conversations)


def _silent(ctx: Context) -> bool:
    """An unbound group listens to commands only; an empty text needs nothing."""
    return (ctx.group is not None and ctx.group.grid_id is None) or not ctx.message.text.strip()


def _staff(ctx: Context) -> bool:
    """Staff talking in a group is not a report; in a direct chat they get the commands they may use."""
    if ctx.sender.role not in STAFF:
        return False
    if ctx.message.is_direct:
        ctx.reply(ctx.routes.help_text(ctx.sender.role))
    return True


def _intent(ctx: Context) -> bool:
    ctx.label = ctx.label or ctx.classifier.classify(ctx.message.text)  # a conversation may have read it already
    ctx.message.intent = ctx.label.intent
    ctx.message.label = {**ctx.label.to_dict(), "decision": ctx.decision.to_dict()}
    route = ctx.label.intent
    if ctx.decision.alert and route == "chatter":  # the danger detector alone: the officer checks it privately
        route = "fraud" if (ctx.label.danger.category or "").startswith("fraud") else "help"
    ctx.routes.run_intent(route, ctx)
    return True


def _joined(ctx: Context) -> bool:
    """The bot was added to a bound group (the bridge's room-join): it introduces itself there."""
    return introduce.on_joined(ctx)


def _addressed(ctx: Context) -> bool:
    """A resident greets the bot or asks what it is, or asks how their own case is going."""
    return introduce.on_addressed(ctx) or progress.on_progress_text(ctx)


PRECEDENCE: tuple[Callable[[Context], bool], ...] = (
    _own, _command, _attachment, _conversation, _loop_guard, _joined, _silent, _staff, _addressed, _intent,
)


MAX_UNBOUND_GROUPS = 200  # per channel: past this, an unknown group is not stored until an officer binds it
UNBOUND_ALERT_EVERY = timedelta(hours=1)  # at most one "unbound group" alert to the admins per channel per hour


def _group_of(session: Session, message: Message, now: datetime, channels: ChannelDirectory) -> ChatGroup:
    """The message's group; an unknown one is stored (up to MAX_UNBOUND_GROUPS a channel, else it stays
    unstored and silent until /bind stores it) and the admins hear of it (once a channel an hour)."""
    group = groups.find_group(session, channel=message.channel, chat_id=message.chat_id)
    if group is not None:
        return group
    topic = str(message.reply_hint.get("topic") or "")[:100]
    group = ChatGroup(channel=message.channel, chat_id=message.chat_id, name=topic)
    if groups.count_unbound(session, channel=message.channel) < MAX_UNBOUND_GROUPS:  # past it: no row, no audit
        session.add(group)
        session.add(AuditEntry(at=now, actor_id="gridbot", action="unknown_group",
                               detail=f"{message.channel}:{message.chat_id} {topic}".strip()))
        session.flush()
    last = audit.last_audit(session, action="unbound_group_alert", detail=message.channel)
    if last is not None and now - last.at < UNBOUND_ALERT_EVERY:
        return group
    session.add(AuditEntry(at=now, actor_id="gridbot", action="unbound_group_alert", detail=message.channel))
    notice = texts.UNBOUND_GROUP_NOTICE.format(channel=channels.title(message.channel), chat=message.chat_id,
                                               topic=f" {topic}" if topic else "")
    for n, admin in enumerate(people.people_with_role(session, role=Role.ADMIN), start=1):
        channel, chat_id = people.direct_address(admin)
        outbox.enqueue(session, now=now, idempotency_key=f"msg-{message.id}-bind-{n}", channel=channel,
                       chat_id=chat_id, text=notice, is_direct=True, kind="alert")
    return group
