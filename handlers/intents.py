"""What each intent does for a resident's group message."""
from __future__ import annotations

from handlers import texts
from handlers.case_view import case_card, case_no
from handlers.context import Context
from handlers.nlu.entities import mask_personal
from handlers.routing import duty_officer, grid_officer, mediator_for
from storage import cases
from storage.models import Case


def _open(ctx: Context, kind: str, **fields) -> Case:  # noqa: ANN003
    grid = ctx.grid
    label = ctx.label
    return cases.open_case(
        ctx.session, now=ctx.now, actor_id=ctx.sender.id, kind=kind, grid_id=grid.id if grid else None,
        group_id=ctx.group.id if ctx.group else None, reporter_id=ctx.sender.id, text=ctx.message.text,
        urgent=bool(label and label.urgent), **fields,
    )


def on_dispute(ctx: Context) -> None:
    officer = grid_officer(ctx, ctx.grid)
    mediator = mediator_for(ctx, ctx.label.subtype)
    case = _open(ctx, "dispute", subtype=ctx.label.subtype or "other",
                 assignee_id=officer.id if officer else None, mediator_id=mediator.id if mediator else None)
    reply = texts.DISPUTE_ACK.format(subtype=texts.SUBTYPE_NAMES.get(case.subtype, "纠纷"), case=case_no(case),
                                     officer=officer.name if officer else "值班民警")
    if mask_personal(ctx.message.text) != ctx.message.text:
        reply += texts.DISPUTE_PRIVATE_HINT.format(officer=officer.name if officer else "值班民警")
    ctx.reply(reply, mention=[ctx.sender], case_id=case.id)
    card = case_card(ctx, case)
    ctx.tell(officer, card, case_id=case.id)
    if mediator and mediator is not officer:
        ctx.tell(mediator, card, case_id=case.id)


def on_inquiry(ctx: Context) -> None:
    officer = grid_officer(ctx, ctx.grid)
    case = _open(ctx, "inquiry", assignee_id=officer.id if officer else None)
    ctx.reply(texts.INQUIRY_ACK.format(case=case_no(case), officer=officer.name if officer else "值班民警"),
              mention=[ctx.sender], case_id=case.id)
    ctx.tell(officer, case_card(ctx, case), case_id=case.id)


def on_fraud(ctx: Context) -> None:
    officer = grid_officer(ctx, ctx.grid)
    case = _open(ctx, "fraud", scam_type=ctx.label.scam_type or "other",
                 assignee_id=officer.id if officer else None)
    ctx.reply(texts.FRAUD_WARNING, mention=[ctx.sender], kind="alert", case_id=case.id)
    ctx.tell(officer, case_card(ctx, case, texts.FRAUD_ALERT), case_id=case.id)


def on_help(ctx: Context) -> None:
    officer = grid_officer(ctx, ctx.grid)
    duty = duty_officer(ctx)
    case = _open(ctx, "help", assignee_id=officer.id if officer else None)
    ctx.reply(texts.HELP_ACK.format(officer=officer.name if officer else "值班民警"), mention=[ctx.sender],
              kind="alert", case_id=case.id)
    alert = case_card(ctx, case, texts.HELP_ALERT)
    ctx.tell(officer, alert, case_id=case.id)
    if duty and duty is not officer:
        ctx.tell(duty, alert, case_id=case.id)


def on_chatter(ctx: Context) -> None:
    """Chatter needs nobody: stay silent."""


INTENT_HANDLERS = {
    "dispute": on_dispute, "inquiry": on_inquiry, "fraud": on_fraud, "help": on_help, "chatter": on_chatter,
}
