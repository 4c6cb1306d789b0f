"""A call for help (紧急求助): acknowledge at once, alert whoever the rota has on duty for the grid (else the grid
officer), the grid officer in any case, and the station's duty officer."""
from __future__ import annotations

from datetime import timedelta

from handlers import texts
from handlers.cases import linking
from handlers.cases.assignment import covering_officer, duty_officer, grid_officer
from handlers.cases.intake import officer_name, open_from_message
from handlers.cases.view import case_card
from handlers.context import Context
from handlers.flood import fingerprint
from handlers.media import evidence
from handlers.media.rows import location_line
from handlers.privacy import mask_personal
from handlers.router import Router
from storage import cases, outbox
from storage.models import Case, Person

router = Router("help")


INCIDENT_WINDOW = timedelta(minutes=10)  # the same call for help in one group within this is one incident
UPDATE_GAP = timedelta(minutes=2)  # at most one follow-up alert per incident (to each officer) per gap


@router.intent("help")
def on_help(ctx: Context) -> None:
    """Always alert (a false alarm costs a private card); acknowledge in the group only when the gate allows it —
    a past, retold or fictional danger, or the danger detector alone, is checked by the officer privately."""
    officer = grid_officer(ctx, ctx.grid)
    duty = duty_officer(ctx)
    incident = same_incident(ctx)
    if incident is not None:
        _join_incident(ctx, incident, [officer, duty])
        return
    covering = covering_officer(ctx, ctx.grid)
    case = open_from_message(ctx, "help", assignee_id=covering.id if covering else None)
    sure = ctx.may_speak
    if sure:
        ack = texts.HELP_ACK if covering is officer else texts.HELP_ACK_ON_DUTY
        ctx.reply(ack.format(officer=officer_name(covering)), mention=[ctx.sender], kind="alert", case_id=case.id)
    alert = help_card(ctx, case)
    if not sure:
        alert = texts.DANGER_MAYBE_NOTE + "\n" + alert
    spot = evidence.recent_location(ctx)
    if spot is not None:  # a pin shared just before the call: the first alert says where
        alert = texts.HELP_WITH_LOCATION.format(line=location_line(spot)) + "\n" + alert
    for person in distinct([covering, officer, duty]):
        ctx.tell(person, alert, case_id=case.id)


def distinct(people: list[Person | None]) -> list[Person]:
    """The people, once each, in order, without the missing ones."""
    return list({p.id: p for p in people if p is not None}.values())


def help_card(ctx: Context, case: Case) -> str:
    """The resident's contact card for a call for help: name, phone if known, group, grid."""
    return case_card(ctx, case, texts.HELP_CARD)


def same_incident(ctx: Context) -> Case | None:
    """An active call for help in this group, opened within INCIDENT_WINDOW, with the same words (normalised)."""
    if ctx.group is None or ctx.group.id is None:
        return None
    said = fingerprint(ctx.message.text)
    found = cases.recent_help_in_group(ctx.session, group_id=ctx.group.id, since=ctx.now - INCIDENT_WINDOW)
    return next((c for c in found if fingerprint(c.text) == said), None)


def _join_incident(ctx: Context, case: Case, others: list[Person | None]) -> None:
    """Another resident calls for the same thing: one case, a short acknowledgement, and the officers hear of it at
    most once per UPDATE_GAP (500 identical calls: one case and a bounded number of alerts)."""
    linking.record_follow_up(ctx, case)
    assignee = ctx.person(case.assignee_id) or others[0]
    ctx.reply(texts.HELP_JOINED_ACK.format(case=case.id, officer=officer_name(assignee)), mention=[ctx.sender],
              kind="alert", case_id=case.id)
    if outbox.alerted_about(ctx.session, case_id=case.id, since=ctx.now - UPDATE_GAP):
        return
    update = texts.HELP_UPDATE.format(case=case.id, reporter=ctx.sender.name, text=mask_personal(ctx.message.text))
    for person in distinct([assignee, *others]):
        ctx.tell(person, update, case_id=case.id)
