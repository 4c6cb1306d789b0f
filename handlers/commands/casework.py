"""Officer and mediator commands that move a case: take, assign/transfer, note, resolve, reopen,
escalate, hard, mine. Each refuses an invalid transition with the case's current status."""
from __future__ import annotations

from handlers import texts
from handlers.cases import flow as case_flow
from handlers.cases.view import case_card, type_name
from handlers.commands.common import (
    acknowledge,
    case_from_args,
    find_person,
    help_watchers,
    refuse_transition,
    tell_help_taken,
)
from handlers.context import Context
from handlers.privacy import mask_personal
from handlers.roles import ASSIGNABLE, HOLDERS, OFFICERS, STAFF
from handlers.router import Router
from storage import cases

router = Router("casework")


@router.command("take", usage="/take 编号", summary="接单：由我处理这件案件", roles=HOLDERS)
def on_take(ctx: Context) -> None:
    found = case_from_args(ctx, "/take 编号")
    if not found or refuse_transition(ctx, found[0], "take"):
        return
    case = found[0]
    if case.status == "in_progress" and case.assignee_id == ctx.sender.id:
        ctx.reply(texts.CASE_ALREADY_YOURS.format(case=case.id))
        return
    watchers = help_watchers(ctx, case)
    case_flow.take(ctx.session, case=case, actor=ctx.sender, now=ctx.now)
    tell_help_taken(ctx, case, watchers)
    ctx.reply(texts.CASE_TAKEN.format(case=case.id, officer=ctx.sender.name))


def _assign(ctx: Context, action: str) -> None:
    usage = f"/{action} 编号 人员"
    found = case_from_args(ctx, usage, need_rest=True)
    if not found or refuse_transition(ctx, found[0], action):
        return
    case, who = found
    person = find_person(ctx, who)
    if person is None:
        ctx.reply(texts.UNKNOWN_PERSON.format(person=who))
        return
    if person.role not in ASSIGNABLE:
        ctx.reply(texts.CANNOT_ASSIGN_TO.format(person=person.name, role=texts.ROLE_NAMES[person.role]))
        return
    acknowledge(ctx, case, start=False)
    case_flow.assign(ctx.session, case=case, actor=ctx.sender, person=person, now=ctx.now,
                     action=action)
    ctx.tell(person, texts.CASE_ASSIGNED_TO_YOU.format(actor=ctx.sender.name, case=case.id,
                                                         card=case_card(ctx, case, reader=person)), case_id=case.id)
    ctx.reply(texts.CASE_ASSIGNED.format(case=case.id, person=person.name))


@router.command("assign", usage="/assign 编号 人员", summary="指派案件给民警、调解员或网格员", roles=OFFICERS)
def on_assign(ctx: Context) -> None:
    _assign(ctx, "assign")


@router.command("transfer", usage="/transfer 编号 人员", summary="转派案件给他人", roles=OFFICERS)
def on_transfer(ctx: Context) -> None:
    _assign(ctx, "transfer")


@router.command("note", usage="/note 编号 内容", summary="为案件添加备注（处理进展）", roles=STAFF)
def on_note(ctx: Context) -> None:
    found = case_from_args(ctx, "/note 编号 内容", need_rest=True)
    if not found:
        return
    case, text = found
    acknowledge(ctx, case, start=False)
    cases.record_event(ctx.session, case=case, now=ctx.now, actor_id=ctx.sender.id, action="note", detail=text)
    cases.touch(ctx.session, case=case, now=ctx.now)
    if case.assignee_id and case.assignee_id != ctx.sender.id:
        ctx.tell(ctx.person(case.assignee_id), texts.NOTE_TO_ASSIGNEE.format(
            actor=ctx.sender.name, case=case.id, text=mask_personal(text)), kind="notice", case_id=case.id)
    ctx.reply(texts.NOTE_ADDED.format(case=case.id))


@router.command("resolve", usage="/resolve 编号 化解结果", summary="记录化解结果，之后自动回访", roles=HOLDERS)
def on_resolve(ctx: Context) -> None:
    found = case_from_args(ctx, "/resolve 编号 化解结果", need_rest=True)
    if not found or refuse_transition(ctx, found[0], "resolve"):
        return
    case, outcome = found
    acknowledge(ctx, case, start=False)
    case_flow.resolve(ctx.session, case=case, actor=ctx.sender, now=ctx.now, outcome=outcome)
    ctx.tell(ctx.person(case.reporter_id), texts.CASE_RESOLVED_TO_RESIDENT.format(case=case.id, outcome=outcome),
             kind="reply", case_id=case.id)
    ctx.reply(texts.CASE_RESOLVED.format(case=case.id, outcome=outcome, days=ctx.config.timers.followup_days))


@router.command("reopen", usage="/reopen 编号 原因", summary="重新打开已化解或已结案的案件", roles=OFFICERS)
def on_reopen(ctx: Context) -> None:
    found = case_from_args(ctx, "/reopen 编号 原因", need_rest=True)
    if not found or refuse_transition(ctx, found[0], "reopen"):
        return
    case, reason = found
    case_flow.reopen(ctx.session, case=case, actor_id=ctx.sender.id, now=ctx.now, reason=reason)
    if case.assignee_id != ctx.sender.id:
        ctx.tell(ctx.person(case.assignee_id), texts.CASE_REOPENED_TO_ASSIGNEE.format(
            case=case.id, id=case.id, actor=ctx.sender.name, reason=mask_personal(reason)), case_id=case.id)
    ctx.reply(texts.CASE_REOPENED.format(case=case.id, reason=reason))


@router.command("escalate", usage="/escalate 编号 原因", summary="上报到社区或派出所层级", roles=HOLDERS)
def on_escalate(ctx: Context) -> None:
    found = case_from_args(ctx, "/escalate 编号 原因", need_rest=True)
    if not found or refuse_transition(ctx, found[0], "escalate"):
        return
    case, reason = found
    if case.level not in case_flow.NEXT_LEVEL:
        ctx.reply(texts.ESCALATE_TOP.format(case=case.id))
        return
    acknowledge(ctx, case, start=False)
    level = case_flow.escalate(ctx.session, case=case, actor_id=ctx.sender.id, now=ctx.now, reason=reason,
                               config=ctx.config)
    for person in case_flow.escalation_people(ctx.session, config=ctx.config, case=case, level=level):
        if person.id != ctx.sender.id:
            alert = texts.CASE_ESCALATED_ALERT.format(case=case.id, actor=ctx.sender.name, reason=mask_personal(reason),
                                                      level=texts.LEVEL_NAMES[level],
                                                      card=case_card(ctx, case, reader=person))
            ctx.tell(person, alert, case_id=case.id)
    ctx.reply(texts.CASE_ESCALATED.format(case=case.id, level=texts.LEVEL_NAMES[level], reason=reason))


@router.command("hard", usage="/hard 编号", summary="标记为疑难案件，列入周五调解议程", roles=HOLDERS)
def on_hard(ctx: Context) -> None:
    found = case_from_args(ctx, "/hard 编号")
    if not found or refuse_transition(ctx, found[0], "hard"):
        return
    case = found[0]
    if case.hard:
        ctx.reply(texts.CASE_ALREADY_HARD.format(case=case.id))
        return
    acknowledge(ctx, case, start=False)
    case_flow.mark_hard(ctx.session, case=case, actor=ctx.sender, now=ctx.now)
    ctx.reply(texts.CASE_MARKED_HARD.format(case=case.id))


@router.command("mine", usage="/mine", summary="我的未结案件", roles=STAFF)
def on_mine(ctx: Context) -> None:
    found = cases.cases_of_person(ctx.session, person_id=ctx.sender.id)
    if not found:
        ctx.reply(texts.MINE_EMPTY)
        return
    lines = [texts.MINE_HEADER.format(count=len(found))]
    for case in found:
        lines.append(texts.MINE_LINE.format(
            case=case.id, type=type_name(case), status=texts.STATUS_NAMES.get(case.status, case.status),
            hard=texts.HARD_MARK if case.hard else "", text=mask_personal(case.text)[:30]))
    ctx.reply("\n".join(lines))
