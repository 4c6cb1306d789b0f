"""预警劝阻 by command: an officer warns about a resident (/dissuade NAME|PHONE 内容), the grid's staff report the
outcome (/dissuaded N 已见面劝阻成功|未见到人|已报警). Answers go to the sender's direct chat."""
from __future__ import annotations

from handlers import texts
from handlers.context import Context
from handlers.households import access, dissuasion
from handlers.ids import parse_id
from handlers.roles import OFFICERS
from handlers.router import Router
from storage import outreach
from storage.models import Household, Role

router = Router("dissuasion")
REPORTERS = OFFICERS | {Role.GRID_WORKER}


@router.command("dissuade", usage=texts.DISSUADE_USAGE, summary="预警劝阻：派网格员和民警立即上门劝阻", roles=OFFICERS)
def on_dissuade(ctx: Context) -> None:
    parts = ctx.call.split(1)
    if len(parts) < 2:
        access.answer(ctx, texts.BAD_USAGE.format(usage=texts.DISSUADE_USAGE))
        return
    who, text = parts
    found = access.find_residents(ctx.session, ctx.sender, who)
    phone = access.normalize_phone(who)
    picked = access.pick(found, phone=phone if access.PHONE.match(phone) else None)
    if picked is None:
        reply = texts.RESIDENT_UNKNOWN.format(who=who) if not found else texts.RESIDENT_AMBIGUOUS.format(
            who=who, n=len(found), choices=access.choices(found))
        access.answer(ctx, reply)
        return
    resident, household = picked
    task, people = dissuasion.create_task(ctx.session, config=ctx.config, now=ctx.now, resident=resident,
                                          household=household, target=who, text=text, created_by=ctx.sender.id)
    access.answer(ctx, texts.DISSUASION_CREATED.format(id=task.id, people="、".join(p.name for p in people),
                                                       minutes=dissuasion.minutes_of(ctx.config, task)))


@router.command("dissuaded", usage=texts.DISSUADED_USAGE, summary="反馈劝阻结果", roles=REPORTERS)
def on_dissuaded(ctx: Context) -> None:
    parts = ctx.call.split(1)
    result = dissuasion.parse_outcome(parts[1]) if len(parts) > 1 else None
    task_id = parse_id(parts[0]) if parts else None
    if task_id is None or result is None:
        access.answer(ctx, texts.BAD_USAGE.format(usage=texts.DISSUADED_USAGE))
        return
    task = outreach.get_dissuasion(ctx.session, task_id=task_id, for_update=True)
    if task is None:
        access.answer(ctx, texts.DISSUASION_UNKNOWN.format(id=task_id))
        return
    household = ctx.session.get(Household, task.household_id) if task.household_id else None
    allowed = (access.may_see(ctx.session, ctx.sender, household) if household is not None
               else ctx.sender.role in OFFICERS)
    if not allowed and task.created_by != ctx.sender.id:
        access.answer(ctx, texts.DISSUASION_NOT_YOURS.format(id=task_id))
        return
    if task.state == "done":
        access.answer(ctx, texts.DISSUASION_ALREADY.format(id=task_id,
                                                           outcome=texts.DISSUASION_OUTCOME_NAMES[task.outcome]))
        return
    outcome, note = result
    dissuasion.record_outcome(ctx.session, config=ctx.config, task=task, outcome=outcome, note=note, by=ctx.sender,
                              now=ctx.now)
    access.answer(ctx, texts.DISSUASION_RECORDED.format(id=task_id, outcome=texts.DISSUASION_OUTCOME_NAMES[outcome],
                                                        note=f"，{note}" if note else ""))
