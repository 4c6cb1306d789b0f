"""/help, and binding a chat group to a grid."""
from __future__ import annotations

from handlers import texts
from handlers.commands.common import grid_choices
from handlers.context import Context
from handlers.roles import EVERYONE, OFFICERS
from handlers.router import Router
from handlers.routines import introduce
from storage.models import AuditEntry, Grid

router = Router("general")


@router.command("help", usage="/help", summary="列出可用命令", roles=EVERYONE)
def on_help(ctx: Context) -> None:
    ctx.reply(ctx.routes.help_text(ctx.sender.role))


@router.command("station", usage="/station", summary="派出所地址、办公时间和电话", roles=EVERYONE, public=True)
def on_station(ctx: Context) -> None:
    station = ctx.config.station
    ctx.reply(texts.STATION_CARD.format(name=station.name, address=station.address or texts.FAQ_ASK_STATION,
                                        hours=station.hours or texts.FAQ_ASK_STATION,
                                        phone=station.phone or texts.FAQ_ASK_STATION))


@router.command("bind", usage="/bind 网格编号", summary="把本群绑定到网格（在群里发送）", roles=OFFICERS,
                public=True)
def on_bind(ctx: Context) -> None:
    call = ctx.call
    if ctx.group is None:
        ctx.reply(texts.NOT_IN_GRID_GROUP)
        return
    grid = ctx.session.get(Grid, call.args.strip()) if call.args.strip() else None
    if grid is None:
        grids = grid_choices(ctx)
        ctx.reply(texts.UNKNOWN_GRID.format(grid=call.args.strip() or texts.EMPTY_VALUE, grids=grids))
        return
    previous = ctx.group.grid_id
    ctx.group.grid_id = grid.id
    ctx.group.bound_by = ctx.sender.id
    ctx.group.bound_at = ctx.now
    ctx.session.add(ctx.group)
    ctx.session.add(AuditEntry(at=ctx.now, actor_id=ctx.sender.id, action="bind",
                               detail=f"{ctx.group.channel}:{ctx.group.chat_id} {previous or '-'} → {grid.id}"))
    ctx.reply(texts.GROUP_BOUND.format(grid=grid.name))
    introduce.introduce_in(ctx, ctx.group)


@router.command("unbind", usage="/unbind", summary="解除本群的网格绑定", roles=OFFICERS, public=True)
def on_unbind(ctx: Context) -> None:
    if ctx.group is None or ctx.group.grid_id is None:
        ctx.reply(texts.NOT_IN_GRID_GROUP)
        return
    previous = ctx.group.grid_id
    ctx.group.grid_id = None
    ctx.session.add(ctx.group)
    ctx.session.add(AuditEntry(at=ctx.now, actor_id=ctx.sender.id, action="unbind",
                               detail=f"{ctx.group.channel}:{ctx.group.chat_id} {previous} → -"))
    ctx.reply(texts.GROUP_UNBOUND)
