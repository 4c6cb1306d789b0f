"""Households: a caretaker's check-in for a resident without WeChat (/checkin), face-to-face visits (/visit) and
the households not visited yet (/unvisited). Every answer goes to the sender's direct chat."""
from __future__ import annotations

from handlers import texts
from handlers.context import Context
from handlers.households import access
from handlers.households.danger import officer_of, open_help_call
from handlers.households.outreach import coverage, line, parse_visit, record_visit
from handlers.roles import EVERYONE, OFFICERS
from handlers.router import Router
from handlers.routines.checkins import close_open, record_ok
from storage import households, outreach
from storage.models import Grid, Role

router = Router("households")
VISITORS = OFFICERS | {Role.GRID_WORKER}
HELP_WORDS = ("求助", "需要帮助", "需要帮忙", "帮忙", "help")
MAX_UNVISITED = 50


@router.command("checkin", usage=texts.CHECKIN_USAGE, summary="照护人为没有微信的老人报平安或求助", roles=EVERYONE)
def on_checkin(ctx: Context) -> None:
    parts = ctx.call.split(1)
    if not parts:
        access.answer(ctx, texts.BAD_USAGE.format(usage=texts.CHECKIN_USAGE))
        return
    who, rest = parts[0], (parts[1] if len(parts) > 1 else "")
    found = access.find_residents(ctx.session, ctx.sender, who, cared_for=True)
    if len(found) != 1:
        access.answer(ctx, _not_one(who, found))
        return
    resident, household = found[0]
    if not access.may_check_in(ctx.session, ctx.sender, resident, household):
        access.answer(ctx, texts.CHECKIN_NOT_YOURS.format(name=resident.name))
        return
    if rest.lower().startswith(HELP_WORDS):
        situation = rest.split(None, 1)[1] if len(rest.split(None, 1)) > 1 else rest
        text = texts.CHECKIN_BY_CARETAKER.format(caretaker=ctx.sender.name, name=resident.name, text=situation)
        case = open_help_call(ctx, resident, household, text=text, reporter=ctx.sender)
        close_open(ctx.session, resident=resident, now=ctx.now, by=ctx.sender.id, state="help", answer=rest,
                   case_id=case.id)
        officer = officer_of(ctx, household)
        access.answer(ctx, texts.CHECKIN_HELP_OPENED.format(
            name=resident.name, case=case.id, officer=officer.name if officer else texts.DUTY_OFFICER_NAME))
        return
    record_ok(ctx.session, resident=resident, now=ctx.now, by=ctx.sender.id, answer=rest or "ok")
    access.answer(ctx, texts.CHECKIN_RECORDED.format(name=resident.name, by=ctx.sender.name))


def _not_one(who: str, found: list) -> str:
    if not found:
        return texts.RESIDENT_UNKNOWN.format(who=who)
    return texts.RESIDENT_AMBIGUOUS.format(who=who, n=len(found), choices=access.choices(found))


@router.command("visit", usage=texts.VISIT_USAGE, summary="记录入户走访（反诈宣传、是否装反诈APP、情况、跟进）",
                roles=VISITORS)
def on_visit(ctx: Context) -> None:
    parts = ctx.call.split(1)
    visit = parse_visit(parts[1]) if len(parts) > 1 else None
    if visit is None:
        access.answer(ctx, texts.BAD_USAGE.format(usage=texts.VISIT_USAGE))
        return
    household = access.find_household(ctx.session, ctx.sender, parts[0])
    if household is None:
        access.answer(ctx, texts.HOUSEHOLD_UNKNOWN.format(household=parts[0]))
        return
    record_visit(ctx.session, household=household, visitor=ctx.sender, now=ctx.now, visit=visit)
    grid = ctx.session.get(Grid, household.grid_id)
    cov = coverage(ctx.session, grid_ids=[household.grid_id]).get(household.grid_id)
    access.answer(ctx, texts.VISIT_RECORDED.format(
        household=household.id, address=household.address, topic=visit.topic,
        app=texts.VISIT_APP_NAMES[visit.app_installed], coverage=line(grid.name if grid else household.grid_id, cov)))


@router.command("unvisited", usage="/unvisited [网格编号]", summary="本网格尚未反诈走访的住户清单", roles=VISITORS)
def on_unvisited(ctx: Context) -> None:
    grid_id = ctx.call.args.strip()
    grids = access.visible_grids(ctx.session, ctx.sender)
    if grid_id:
        if ctx.session.get(Grid, grid_id) is None or (grids is not None and grid_id not in grids):
            access.answer(ctx, texts.UNKNOWN_GRID.format(grid=grid_id, grids="、".join(grids or [])))
            return
        grids = [grid_id]
    left = outreach.households_not_visited(ctx.session, grid_ids=grids, limit=MAX_UNVISITED)
    if not left:
        access.answer(ctx, texts.UNVISITED_NONE)
        return
    total = outreach.count_not_visited(ctx.session, grid_ids=grids)
    lines = [texts.UNVISITED_HEADER.format(n=total)]
    for household in left:
        flags = {f for r in households.residents_of(ctx.session, household_id=household.id) for f in r.flags}
        names = "、".join(texts.FLAG_NAMES[f] for f in texts.FLAG_NAMES if f in flags)
        lines.append(texts.UNVISITED_LINE.format(household=household.id, address=household.address,
                                                 flags=f"（{names}）" if names else ""))
    if total > len(left):
        lines.append(texts.UNVISITED_MORE.format(n=total - len(left)))
    access.answer(ctx, "\n".join(lines))
