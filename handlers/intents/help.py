"""A call for help (紧急求助): acknowledge at once, alert the grid officer and the station's duty officer."""
from __future__ import annotations

from handlers import texts
from handlers.cases.assignment import duty_officer, grid_officer
from handlers.cases.intake import officer_name, open_from_message
from handlers.cases.view import case_card
from handlers.context import Context
from handlers.media import evidence
from handlers.media.rows import location_line
from handlers.router import Router
from storage.models import Case

router = Router("help")


@router.intent("help")
def on_help(ctx: Context) -> None:
    """Always alert (a false alarm costs a private card); acknowledge in the group only when the gate allows it —
    a past, retold or fictional danger, or the danger detector alone, is checked by the officer privately."""
    officer = grid_officer(ctx, ctx.grid)
    duty = duty_officer(ctx)
    case = open_from_message(ctx, "help", assignee_id=officer.id if officer else None)
    sure = ctx.may_speak
    if sure:
        ctx.reply(texts.HELP_ACK.format(officer=officer_name(officer)), mention=[ctx.sender],
                  kind="alert", case_id=case.id)
    alert = help_card(ctx, case)
    if not sure:
        alert = texts.DANGER_MAYBE_NOTE + "\n" + alert
    spot = evidence.recent_location(ctx)
    if spot is not None:  # a pin shared just before the call: the first alert says where
        alert = texts.HELP_WITH_LOCATION.format(line=location_line(spot)) + "\n" + alert
    ctx.tell(officer, alert, case_id=case.id)
    if duty and duty is not officer:
        ctx.tell(duty, alert, case_id=case.id)


def help_card(ctx: Context, case: Case) -> str:
    """The resident's contact card for a call for help: name, phone if known, group, grid."""
    return case_card(ctx, case, texts.HELP_CARD)
