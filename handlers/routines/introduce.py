"""The bot introduces itself: when it is added to a grid group (the bridge's room-join event, or an officer's
/bind), when it is greeted with an @-mention (or in a direct chat), and when asked what it is or can do."""
from __future__ import annotations

from datetime import timedelta

from handlers import texts
from handlers.cases.assignment import grid_officer, station_for
from handlers.cases.intake import officer_name
from handlers.context import Context
from handlers.faq import addressed_to_bot, is_greeting
from storage import audit, roster
from storage.models import AuditEntry, ChatGroup, Grid, Role

JOIN_EVENT = "room-join"
ONCE_PER = timedelta(hours=12)  # a gateway that reports every member's joining must not make the bot repeat itself


def intro_text(ctx: Context, grid: Grid | None) -> str:
    officer = grid_officer(ctx, grid)
    grid_id = grid.id if grid else None
    community = roster.community_of(ctx.session, grid_id=grid_id)
    station = station_for(ctx.session, grid_id=grid_id, config=ctx.config)
    return texts.INTRO.format(community=community.name if community else ctx.config.community.name,
                              station=station.name if station else ctx.config.station.name,
                              officer=officer_name(officer))


def introduce_in(ctx: Context, group: ChatGroup) -> None:
    """Post the introduction in a bound group, at most once per ``ONCE_PER`` (audited as ``introduced``)."""
    where = f"{group.channel}:{group.chat_id}"
    if any(e.detail == where for e in audit.audit_since(ctx.session, action="introduced", since=ctx.now - ONCE_PER)):
        return
    grid = ctx.session.get(Grid, group.grid_id) if group.grid_id else None
    ctx.post(group, intro_text(ctx, grid), kind="notice")
    ctx.session.add(AuditEntry(at=ctx.now, actor_id="gridbot", action="introduced", detail=where))


def on_joined(ctx: Context) -> bool:
    """The bridge's room-join event (empty text) in a bound group: introduce the bot there."""
    message = ctx.message
    if message.text.strip() or message.reply_hint.get("event") != JOIN_EVENT:
        return False
    if ctx.group is None or ctx.group.grid_id is None:
        return False  # an unknown group: the admins were told; an officer binds it, and /bind introduces
    introduce_in(ctx, ctx.group)
    return True


def on_addressed(ctx: Context) -> bool:
    """A resident greets the bot (@-mention or direct chat) or asks what it is: the introduction. A bare
    greeting to nobody in particular (“你好”, “早上好”) is taken too, and left unanswered: it is chatter."""
    if ctx.sender.role != Role.RESIDENT:
        return False
    kind = addressed_to_bot(ctx.message.text, mentioned=ctx.message.mentions_bot, direct=ctx.message.is_direct)
    if kind is None:
        return is_greeting(ctx.message.text)
    ctx.reply(intro_text(ctx, ctx.grid), mention=[ctx.sender] if ctx.group else None)
    return True
