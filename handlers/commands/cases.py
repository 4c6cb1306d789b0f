"""Officer commands on one case: look, answer the resident, close."""
from __future__ import annotations

from handlers import texts
from handlers.cases import flow as case_flow
from handlers.cases.page import shows_raw
from handlers.cases.view import case_detail, case_no
from handlers.commands.common import acknowledge, case_from_args
from handlers.context import Context
from handlers.roles import HOLDERS, OFFICERS, STAFF
from handlers.router import Router
from storage import cases
from storage.models import ChatGroup, Status

router = Router("cases")


@router.command("case", usage="/case 编号", summary="查看案件详情和处理记录", roles=STAFF)
def on_case(ctx: Context) -> None:
    found = case_from_args(ctx, "/case 编号")
    if found:
        raw = ctx.message.is_direct and shows_raw(ctx.session, ctx.sender, found[0])
        ctx.reply(case_detail(ctx, found[0], raw=raw))


@router.command("reply", usage="/reply 编号 内容", summary="在案件所在群回复反映人", roles=HOLDERS)
def on_reply(ctx: Context) -> None:
    found = case_from_args(ctx, "/reply 编号 内容", need_rest=True)
    if not found:
        return
    case, text = found
    reporter = ctx.person(case.reporter_id)
    message = texts.CASE_REPLY.format(text=text, case=case_no(case), officer=ctx.sender.name)
    group = ctx.session.get(ChatGroup, case.group_id) if case.group_id else None
    if group is not None:
        ctx.post(group, message, mention=[reporter] if reporter else None, kind="reply", case_id=case.id)
    else:
        ctx.tell(reporter, message, kind="reply", case_id=case.id)
    cases.record_event(ctx.session, case=case, now=ctx.now, actor_id=ctx.sender.id, action="replied", detail=text)
    acknowledge(ctx, case)
    cases.touch(ctx.session, case=case, now=ctx.now)
    ctx.reply(texts.CASE_REPLIED.format(case=case_no(case)))


@router.command("close", usage="/close 编号 处理结果", summary="结案并记录结果", roles=OFFICERS)
def on_close(ctx: Context) -> None:
    found = case_from_args(ctx, "/close 编号 处理结果", need_rest=True)
    if not found:
        return
    case, outcome = found
    if case.status == Status.CLOSED:
        ctx.reply(texts.CASE_ALREADY_CLOSED.format(case=case_no(case)))
        return
    acknowledge(ctx, case, start=False)
    case_flow.close(ctx.session, case=case, actor_id=ctx.sender.id, now=ctx.now, outcome=outcome)
    ctx.reply(texts.CASE_CLOSED.format(case=case_no(case), outcome=outcome))

