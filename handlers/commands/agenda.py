"""/agenda (议程): the Friday agenda as it would be compiled now, for officers and mediators."""
from __future__ import annotations

from handlers.context import Context
from handlers.roles import HOLDERS
from handlers.router import Router
from handlers.routines import agenda

router = Router("agenda")


@router.command("agenda", usage="/agenda", summary="查看本周五疑难纠纷议程草稿", roles=HOLDERS)
def on_agenda(ctx: Context) -> None:
    ctx.reply(agenda.draft_for(ctx.session, config=ctx.config, person=ctx.sender, now=ctx.now), kind="agenda")
