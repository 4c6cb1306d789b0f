"""What each intent does for a resident's group message."""
from __future__ import annotations

from handlers import faq, fraud, linking, texts
from handlers.case_view import case_card, case_no, type_name
from handlers.context import Context
from handlers.nlu.entities import mask_personal
from handlers.routing import duty_officer, grid_officer, mediator_for
from storage import cases
from storage.models import Case


def _open(ctx: Context, kind: str, **fields) -> Case:  # noqa: ANN003
    grid = ctx.grid
    label = ctx.label
    case = cases.open_case(
        ctx.session, now=ctx.now, actor_id=ctx.sender.id, kind=kind, grid_id=grid.id if grid else None,
        group_id=ctx.group.id if ctx.group else None, reporter_id=ctx.sender.id, text=ctx.message.text,
        urgent=bool(label and label.urgent), **fields,
    )
    ctx.message.case_id = case.id
    return case


def _officer_name(officer) -> str:  # noqa: ANN001
    return officer.name if officer else texts.DUTY_OFFICER_NAME


def on_dispute(ctx: Context) -> None:
    joined = linking.follow_up_target(ctx)
    if joined is not None:
        _follow_up(ctx, joined)
        return
    subtype = ctx.label.subtype or "other"
    building = linking.building_of(ctx.label.entities.rooms)
    primary = linking.same_incident(ctx, subtype=subtype, building=building)
    officer = ctx.person(primary.assignee_id) if primary else grid_officer(ctx, ctx.grid)
    mediator = ctx.person(primary.mediator_id) if primary else mediator_for(ctx, subtype)
    case = _open(ctx, "dispute", subtype=subtype, building=building, linked_to=primary.id if primary else None,
                 assignee_id=officer.id if officer else None, mediator_id=mediator.id if mediator else None)
    if primary is not None:
        _link(ctx, case, primary, officer)
        return
    reply = texts.DISPUTE_ACK.format(subtype=texts.SUBTYPE_NAMES.get(case.subtype, "纠纷"), case=case_no(case),
                                     officer=_officer_name(officer))
    if mask_personal(ctx.message.text) != ctx.message.text:
        reply += texts.DISPUTE_PRIVATE_HINT.format(officer=_officer_name(officer))
    ctx.reply(reply, mention=[ctx.sender], case_id=case.id)
    card = case_card(ctx, case)
    ctx.tell(officer, card, case_id=case.id)
    if mediator and mediator is not officer:
        ctx.tell(mediator, card, case_id=case.id)


def _follow_up(ctx: Context, case: Case) -> None:
    linking.record_follow_up(ctx, case)
    officer = ctx.person(case.assignee_id)
    ctx.reply(texts.FOLLOW_UP_ACK.format(case=case.id, officer=_officer_name(officer)), mention=[ctx.sender],
              case_id=case.id)
    alert = texts.FOLLOW_UP_ALERT.format(case=case.id, reporter=ctx.sender.name, text=ctx.message.text)
    ctx.tell(officer, alert, case_id=case.id)
    mediator = ctx.person(case.mediator_id)
    if mediator and mediator is not officer:
        ctx.tell(mediator, alert, case_id=case.id)


def _link(ctx: Context, case: Case, primary: Case, officer) -> None:  # noqa: ANN001
    for one, other in ((case, primary), (primary, case)):
        cases.record_event(ctx.session, case=one, now=ctx.now, actor_id="gridbot", action="linked",
                           detail=f"same incident as {other.id}")
    ctx.reply(texts.LINKED_ACK.format(primary=primary.id, case=case.id, officer=_officer_name(officer)),
              mention=[ctx.sender], case_id=case.id)
    ctx.tell(officer, texts.LINKED_ALERT.format(case=case.id, primary=primary.id, reporter=ctx.sender.name,
                                                building=case.building, type=type_name(case),
                                                text=ctx.message.text), case_id=case.id)


def on_inquiry(ctx: Context) -> None:
    officer = grid_officer(ctx, ctx.grid)
    found = faq.match(ctx.message.text)
    if found.confident:
        ctx.reply(_faq_answer(ctx, found.entry, officer), mention=[ctx.sender])
        return
    case = _open(ctx, "inquiry", assignee_id=officer.id if officer else None)
    ctx.reply(texts.INQUIRY_ACK.format(case=case_no(case), officer=_officer_name(officer)),
              mention=[ctx.sender], case_id=case.id)
    ctx.tell(officer, case_card(ctx, case), case_id=case.id)


def _faq_answer(ctx: Context, entry: faq.Entry, officer) -> str:  # noqa: ANN001
    station = ctx.config.station
    info = dict(station=station.name, address=station.address, hours=station.hours, phone=station.phone)
    text = entry.answer.format(**info)
    if entry.station and entry.id != "station_info":
        text += texts.FAQ_STATION.format(**info)
    return text + texts.FAQ_MORE.format(officer=_officer_name(officer))


def on_fraud(ctx: Context) -> None:
    officer = grid_officer(ctx, ctx.grid)
    advert = fraud.is_scam_advert(ctx.message.text, phones=ctx.label.entities.phones)
    case = _open(ctx, "fraud", scam_type=ctx.label.scam_type or "other",
                 assignee_id=officer.id if officer else None)
    if advert:
        cases.record_event(ctx.session, case=case, now=ctx.now, actor_id="gridbot", action="scam_advert")
    warning = fraud.warning_for(case.scam_type) + (texts.FRAUD_ADVERT_WARNING if advert else "")
    ctx.reply(warning, mention=[] if advert else [ctx.sender], kind="alert", case_id=case.id)
    alert = case_card(ctx, case, texts.FRAUD_ALERT)
    if advert:
        alert = texts.FRAUD_ADVERT_FLAG.format(reporter=ctx.sender.name) + "\n" + alert
    ctx.tell(officer, alert, case_id=case.id)


def on_help(ctx: Context) -> None:
    officer = grid_officer(ctx, ctx.grid)
    duty = duty_officer(ctx)
    case = _open(ctx, "help", assignee_id=officer.id if officer else None)
    ctx.reply(texts.HELP_ACK.format(officer=_officer_name(officer)), mention=[ctx.sender],
              kind="alert", case_id=case.id)
    alert = help_card(ctx, case)
    ctx.tell(officer, alert, case_id=case.id)
    if duty and duty is not officer:
        ctx.tell(duty, alert, case_id=case.id)


def help_card(ctx: Context, case: Case) -> str:
    """The resident's contact card for a call for help: name, phone if known, group, grid."""
    return case_card(ctx, case, texts.HELP_CARD)


def on_chatter(ctx: Context) -> None:
    """Chatter needs nobody, unless it follows up the sender's open dispute (“还是很吵”)."""
    joined = linking.follow_up_target(ctx)
    if joined is not None:
        _follow_up(ctx, joined)


INTENT_HANDLERS = {
    "dispute": on_dispute, "inquiry": on_inquiry, "fraud": on_fraud, "help": on_help, "chatter": on_chatter,
}
