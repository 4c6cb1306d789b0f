"""Staff commands typed in a group: whatever they answer (residents' names, addresses, complaints, case details)
goes to the staff member's direct chat; the group sees at most 已私信您. A member of staff with no direct chat
address is told, in the group, to message the bot privately, and the command is not run."""
from __future__ import annotations

from typing import Callable

from handlers import texts
from handlers.context import Context
from handlers.roles import STAFF


def in_group_by_staff(ctx: Context) -> bool:
    return not ctx.message.is_direct and ctx.sender.role in STAFF


def reachable_directly(ctx: Context) -> bool:
    """Whether the sender can get a direct message: the sandbox always (a person's own id), else a stored address."""
    family = ctx.channels.family(ctx.message.channel) if ctx.channels else None
    return family is None or bool(ctx.sender.dm_channel and ctx.sender.dm_chat_id)


def run_privately(ctx: Context, handler: Callable[[Context], object]) -> None:
    if not reachable_directly(ctx):
        ctx.reply_here(texts.PRIVATE_CHAT_NEEDED, mention=[ctx.sender])
        return
    ctx.private = True
    try:
        handler(ctx)
    finally:
        ctx.private = False
    if ctx.told_privately:
        ctx.reply_here(texts.SENT_PRIVATELY, mention=[ctx.sender])
