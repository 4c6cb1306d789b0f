"""A dispute (矛盾纠纷): join the reporter's open case, link a neighbour's report of the same incident, or open a
case for the grid officer and the mediator of that dispute type."""
from __future__ import annotations

from handlers import texts
from handlers.cases import linking
from handlers.cases.assignment import grid_officer, mediator_for
from handlers.cases.intake import officer_name, open_from_message
from handlers.cases.view import case_card, case_no
from handlers.context import Context
from handlers.privacy import mask_personal
from handlers.router import Router

router = Router("dispute")


@router.intent("dispute")
def on_dispute(ctx: Context) -> None:
    """A follow-up of one's own case joins it; else the gate decides: a sure dispute opens a case with an
    acknowledgement; a likely one is a private card to the officer; a doubtful one draws one clarifying
    question; a bare greeting or a forwarded text draws nothing."""
    joined = linking.follow_up_target(ctx)
    if joined is not None:
        linking.join_follow_up(ctx, joined)
        return
    action = "public" if ctx.message.is_direct else ctx.decision.action
    if action == "silent":
        return
    if action == "clarify":
        ctx.reply(texts.DISPUTE_CLARIFY.format(officer=officer_name(grid_officer(ctx, ctx.grid))),
                  mention=[ctx.sender])
        return
    subtype = ctx.label.subtype or "other"
    building = linking.building_of(ctx.label.entities.rooms)
    primary = linking.same_incident(ctx, subtype=subtype, building=building)
    officer = ctx.person(primary.assignee_id) if primary else grid_officer(ctx, ctx.grid)
    mediator = ctx.person(primary.mediator_id) if primary else mediator_for(ctx, subtype)
    case = open_from_message(ctx, "dispute", subtype=subtype, building=building,
                             linked_to=primary.id if primary else None,
                             assignee_id=officer.id if officer else None,
                             mediator_id=mediator.id if mediator else None)
    if primary is not None:
        linking.link_same_incident(ctx, case, primary, officer, public=action == "public")
        return
    if action == "private":
        ctx.tell(officer, texts.UNSURE_NOTE + "\n" + case_card(ctx, case, reader=officer), case_id=case.id)
        return
    reply = texts.DISPUTE_ACK.format(subtype=texts.SUBTYPE_NAMES[case.subtype], case=case_no(case),
                                     officer=officer_name(officer))
    if mask_personal(ctx.message.text) != ctx.message.text:
        reply += texts.DISPUTE_PRIVATE_HINT.format(officer=officer_name(officer))
    ctx.reply(reply, mention=[ctx.sender], case_id=case.id)
    ctx.tell(officer, case_card(ctx, case, reader=officer), case_id=case.id)
    if mediator and mediator is not officer:
        ctx.tell(mediator, case_card(ctx, case, reader=mediator), case_id=case.id)
