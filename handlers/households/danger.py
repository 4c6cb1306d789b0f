"""A vulnerable resident in danger: the detector's verdict, and the help call with their address and caretaker."""
from __future__ import annotations

from typing import Any

from handlers import texts
from handlers.cases import flow
from handlers.cases.assignment import covering_officer, duty_officer
from handlers.cases.view import local_time
from handlers.context import Context
from handlers.households.access import flag_names
from storage import cases
from storage.models import Case, Grid, Household, Person, Resident


def is_flagged(label: Any) -> bool:
    """Whether the danger detector flags a message of a vulnerable resident. The one place to point at the
    detector: for now the classifier's label says a call for help, or urgent."""
    return label is not None and (label.intent == "help" or bool(label.urgent))


def open_help_call(ctx: Context, resident: Resident, household: Household, *, text: str, reporter: Person) -> Case:
    """A help call (紧急求助) for a vulnerable resident: the rota's officer on duty for the grid (who holds it), the
    grid officer, the duty officer and the caretaker get a card with the resident's address and caretaker, in
    direct chats only. Returns the case."""
    grid = ctx.session.get(Grid, household.grid_id)
    officer = ctx.person(grid.officer_id if grid else None)
    holder = covering_officer(ctx, grid) or officer
    duty = duty_officer(ctx, household.grid_id)
    caretaker = ctx.person(resident.caretaker_id)
    case = flow.open_case(ctx.session, now=ctx.now, actor_id=reporter.id, kind="help", grid_id=household.grid_id,
                          group_id=ctx.group.id if ctx.group else None, reporter_id=reporter.id, text=text,
                          urgent=True, assignee_id=holder.id if holder else None)
    ctx.message.case_id = case.id
    cases.record_event(ctx.session, case=case, now=ctx.now, actor_id="gridbot", action="note",
                       detail=texts.VULNERABLE_HELP_EVENT.format(
                           flags=flag_names(resident), household=household.id,
                           caretaker=caretaker.name if caretaker else texts.NOBODY))
    card = texts.VULNERABLE_HELP_CARD.format(
        flags=flag_names(resident), case=case.id, id=case.id, name=resident.name,
        phone=resident.phone or household.phone or texts.PHONE_UNKNOWN, address=household.address,
        household=household.id, caretaker=caretaker.name if caretaker else texts.NOBODY,
        caretaker_phone=(caretaker.phone if caretaker else "") or texts.PHONE_UNKNOWN, text=text,
        time=local_time(ctx, ctx.now))
    for person in {p.id: p for p in (holder, officer, duty, caretaker) if p is not None}.values():
        ctx.tell(person, card, case_id=case.id)
    return case


def officer_of(ctx: Context, household: Household) -> Person | None:
    grid = ctx.session.get(Grid, household.grid_id)
    return ctx.person(grid.officer_id) if grid else None
