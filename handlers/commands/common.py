"""Pieces every command family uses: finding the case a command names, and who may act on it."""
from __future__ import annotations

from sqlmodel import or_, select

from handlers import scope, texts
from handlers.cases import flow as case_flow
from handlers.context import Context
from handlers.ids import parse_id
from storage import cases, roster
from storage.models import Case, Grid, Person, Role


def case_from_args(ctx: Context, usage: str, *, need_rest: bool = False) -> tuple[Case, str] | None:
    """Parse 'N [rest]' of the command and load case N for update; on any problem reply and return None."""
    parts = ctx.call.split(1)
    case_id = parse_id(parts[0]) if parts else None
    if case_id is None or (need_rest and len(parts) < 2):
        ctx.reply(texts.BAD_USAGE.format(usage=usage))
        return None
    case = cases.get_case(ctx.session, case_id=case_id, for_update=True)
    if case is None:
        ctx.reply(texts.UNKNOWN_CASE.format(case=case_id))
        return None
    if not scope.may_act_on(ctx.session, ctx.sender, case):
        refusal = texts.NOT_YOUR_CASE if ctx.sender.role == Role.MEDIATOR else texts.NOT_YOUR_GRID
        ctx.reply(refusal.format(case=case_id))
        return None
    return case, (parts[1] if len(parts) > 1 else "")


def refuse_transition(ctx: Context, case: Case, action: str) -> bool:
    """Reply why the action is not allowed now and return True; False when it is allowed."""
    reason = case_flow.refusal(case, action)
    if reason:
        ctx.reply(reason)
    return reason is not None


def acknowledge(ctx: Context, case: Case, *, start: bool = True) -> None:
    """Any officer's or mediator's command on a case counts as acknowledging it; the first one on a call for help
    is told to the grid's officer and the officer holding it, when someone else made it."""
    watchers = help_watchers(ctx, case)
    if case_flow.acknowledge(ctx.session, case=case, actor=ctx.sender, now=ctx.now, start=start):
        tell_help_taken(ctx, case, watchers)


def help_watchers(ctx: Context, case: Case) -> list[Person]:
    """Who is told when a call for help is taken in hand: its grid's officer and the officer holding it (read
    before the command changes the holder); nobody once it has been acknowledged."""
    if case.kind != "help" or case_flow.acknowledged(ctx.session, case):
        return []
    grid = ctx.session.get(Grid, case.grid_id) if case.grid_id else None
    found = [ctx.person(grid.officer_id if grid else None), ctx.person(case.assignee_id)]
    return [p for p in {p.id: p for p in found if p is not None}.values() if p.role == Role.OFFICER]


def tell_help_taken(ctx: Context, case: Case, watchers: list[Person]) -> None:
    grid = ctx.session.get(Grid, case.grid_id) if case.grid_id else None
    for person in watchers:
        if person.id != ctx.sender.id:
            ctx.tell(person, texts.HELP_TAKEN_NOTICE.format(grid=grid.name if grid else texts.NOBODY, case=case.id,
                                                            actor=ctx.sender.name, id=case.id),
                     kind="notice", case_id=case.id)


def find_person(ctx: Context, who: str) -> Person | None:
    """A person named by id or by name (李警官), as officers type it."""
    who = who.strip().lstrip("@")
    if not who:
        return None
    person = ctx.session.get(Person, who)
    if person is not None:
        return person
    stmt = select(Person).where(or_(Person.name == who, Person.title == who)).order_by(Person.id)
    return ctx.session.exec(stmt).first()


def grid_choices(ctx: Context, limit: int = 10) -> str:
    """The grids to offer after a wrong grid id: the sender's own first, at most ``limit`` of them."""
    own = sorted(scope.grids_of(ctx.session, ctx.sender))
    grids = [g for g in (ctx.session.get(Grid, i) for i in own) if g] or list(roster.all_grids(ctx.session, limit=limit + 1))
    shown = "、".join(f"{g.id}（{g.name}）" for g in grids[:limit])
    return shown + ("…" if len(grids) > limit else "")
