"""/broadcast 目标 内容 drafts a warning to many groups and previews it; /confirm ID queues it, one outbox row per
group, each recorded as a delivery (handlers/broadcasting.py, shared with the console); /broadcast status ID says
which groups it has reached (the drafter is also told once the copies are settled: routines/broadcast_reports.py)."""
from __future__ import annotations

from handlers import broadcasting, texts
from handlers.commands.common import grid_choices
from handlers.context import Context
from handlers.ids import parse_id
from handlers.roles import OFFICERS
from handlers.router import Router
from storage.models import Broadcast

router = Router("broadcast")


@router.command("broadcast", usage="/broadcast 目标 内容", summary="向多个网格群广播预警（先预览，再 /confirm）",
                roles=OFFICERS)
def on_broadcast(ctx: Context) -> None:
    parts = ctx.call.split(1)
    if parts and parts[0].lower() in texts.BROADCAST_STATUS_WORDS:
        _status(ctx, parts[1] if len(parts) > 1 else "")
        return
    if len(parts) < 2 or not parts[1].strip():
        ctx.reply(texts.BAD_USAGE.format(usage=texts.BROADCAST_USAGE))
        return
    targets = broadcasting.parse_targets(parts[0])
    unknown = broadcasting.unknown_targets(ctx.session, targets)
    if unknown:
        ctx.reply(texts.UNKNOWN_GRID.format(grid="、".join(unknown), grids=grid_choices(ctx)))
        return
    try:
        draft, groups = broadcasting.draft(ctx.session, actor_id=ctx.sender.id, targets=targets, text=parts[1],
                                           now=ctx.now)
    except broadcasting.BroadcastRefused as exc:
        ctx.reply(str(exc))
        return
    names = texts.ALL_GRIDS_NAME if targets == ["all"] else "、".join(targets)
    ctx.reply(texts.BROADCAST_PREVIEW.format(id=draft.id, targets=names, count=len(groups), text=draft.text,
                                             minutes=broadcasting.DRAFT_MINUTES))


def _status(ctx: Context, args: str) -> None:
    """/broadcast status ID: which groups a broadcast has reached so far."""
    broadcast_id = parse_id(args)
    found = ctx.session.get(Broadcast, broadcast_id) if broadcast_id is not None else None
    if broadcast_id is None:
        ctx.reply(texts.BAD_USAGE.format(usage=texts.BROADCAST_STATUS_USAGE))
    elif found is None or found.status != "sent":
        ctx.reply(texts.UNKNOWN_BROADCAST.format(id=broadcast_id) if found is None
                  else texts.BROADCAST_NOT_SENT.format(id=broadcast_id))
    else:
        ctx.reply(broadcasting.report(ctx.session, broadcast=found))


@router.command("confirm", usage="/confirm 广播编号", summary="确认发送广播", roles=OFFICERS)
def on_confirm(ctx: Context) -> None:
    broadcast_id = parse_id(ctx.call.args)
    if broadcast_id is None:
        ctx.reply(texts.BAD_USAGE.format(usage="/confirm 广播编号"))
        return
    try:
        draft, count = broadcasting.confirm(ctx.session, broadcast_id=broadcast_id, actor_id=ctx.sender.id,
                                            now=ctx.now)
    except broadcasting.BroadcastRefused as exc:
        ctx.reply(str(exc))
        return
    ctx.reply(texts.BROADCAST_SENT.format(id=draft.id, count=count))
