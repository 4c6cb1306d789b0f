"""/broadcast 目标 内容 drafts a warning to many groups and previews it; /confirm ID sends it,
one outbox row per group, each recorded as a delivery."""
from __future__ import annotations

from handlers import texts
from handlers.commands.common import grid_choices
from handlers.context import Context
from handlers.roles import OFFICERS
from handlers.router import Router
from storage import broadcasts, outbox
from storage import groups as store_groups
from storage.models import AuditEntry, Grid

router = Router("broadcast")


@router.command("broadcast", usage="/broadcast 目标 内容", summary="向多个网格群广播预警（先预览，再 /confirm）",
                roles=OFFICERS)
def on_broadcast(ctx: Context) -> None:
    call = ctx.call
    parts = call.split(1)
    if len(parts) < 2 or not parts[1].strip():
        ctx.reply(texts.BAD_USAGE.format(usage=texts.BROADCAST_USAGE))
        return
    targets = [t for t in parts[0].replace("，", ",").split(",") if t]
    if any(t.lower() in texts.BROADCAST_ALL for t in targets):
        targets = ["all"]
    unknown = [t for t in targets if t != "all" and ctx.session.get(Grid, t) is None]
    if unknown:
        grids = grid_choices(ctx)
        ctx.reply(texts.UNKNOWN_GRID.format(grid="、".join(unknown), grids=grids))
        return
    groups = store_groups.groups_of_targets(ctx.session, targets=targets)
    if not groups:
        ctx.reply(texts.BROADCAST_NO_GROUPS)
        return
    draft = broadcasts.add_draft(ctx.session, actor_id=ctx.sender.id, targets=targets, text=parts[1].strip(),
                                 now=ctx.now)
    names = texts.ALL_GRIDS_NAME if targets == ["all"] else "、".join(targets)
    ctx.reply(texts.BROADCAST_PREVIEW.format(id=draft.id, targets=names, count=len(groups), text=draft.text))


@router.command("confirm", usage="/confirm 广播编号", summary="确认发送广播", roles=OFFICERS)
def on_confirm(ctx: Context) -> None:
    call = ctx.call
    arg = call.args.strip().lstrip("#")
    if not arg.isdigit():
        ctx.reply(texts.BAD_USAGE.format(usage="/confirm 广播编号"))
        return
    draft = broadcasts.get_for_update(ctx.session, broadcast_id=int(arg))
    if draft is None:
        ctx.reply(texts.UNKNOWN_BROADCAST.format(id=arg))
        return
    if draft.status == "sent":
        ctx.reply(texts.BROADCAST_ALREADY_SENT.format(id=draft.id))
        return
    groups = store_groups.groups_of_targets(ctx.session, targets=draft.targets)
    for group in groups:
        row = outbox.enqueue(ctx.session, now=ctx.now, idempotency_key=f"broadcast-{draft.id}-{group.id}",
                             channel=group.channel, chat_id=group.chat_id, kind="broadcast",
                             text=texts.BROADCAST_TEXT.format(text=draft.text))
        ctx.session.flush()
        broadcasts.add_delivery(ctx.session, broadcast_id=draft.id, group_id=group.id, outbox_id=row.id, now=ctx.now)
    broadcasts.mark_sent(ctx.session, draft=draft, confirmed_by=ctx.sender.id, now=ctx.now)
    ctx.session.add(AuditEntry(at=ctx.now, actor_id=ctx.sender.id, action="broadcast",
                               detail=f"{draft.id} → {','.join(draft.targets)} ({len(groups)} groups)"))
    ctx.reply(texts.BROADCAST_SENT.format(id=draft.id, count=len(groups)))

