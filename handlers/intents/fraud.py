"""Fraud (反诈): warn the group with advice for the scam type, flag a pasted scam advert, alert the officer."""
from __future__ import annotations

import json
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from handlers import texts
from handlers.cases import incidents
from handlers.cases.assignment import grid_officer
from handlers.cases.intake import open_from_message
from handlers.cases.view import case_card, type_name
from handlers.context import Context
from handlers.nlu import policy
from handlers.nlu.normalize import normalize
from handlers.router import Router
from storage import cases, outbox
from storage import indicators as indicator_rows
from storage.models import Case, ChatGroup

router = Router("fraud")


@router.intent("fraud")
def on_fraud(ctx: Context) -> None:
    """A public warning only when the gate allows it (a sure report, question or pasted script, not a forwarded
    notice or an old story); a suspicious message the gate keeps out of the group is a private card."""
    found = incidents.indicators_of(ctx)
    incident = incidents.find(ctx, found)
    if incident is not None:  # a known scam's number or link: counted and linked whatever the wording
        _join_incident(ctx, incident, found)
        return
    if ctx.decision.action == "silent":
        return
    officer = grid_officer(ctx, ctx.grid)
    advert = is_scam_advert(ctx.message.text, phones=ctx.label.entities.phones)
    case = open_from_message(ctx, "fraud", scam_type=ctx.label.scam_type or "other",
                             assignee_id=officer.id if officer else None)
    if advert:
        cases.record_event(ctx.session, case=case, now=ctx.now, actor_id="gridbot", action="scam_advert")
    # a hallmark advert posted as such (not a forwarded notice quoting one) is warned even when the model is unsure
    warned = ctx.may_speak or (advert and ctx.decision.action == "private" and is_hallmark_advert(ctx.message.text)
                               and policy.gate(ctx.label.intent, frozenset(ctx.label.signals), ctx.label.danger) is None)
    if warned:
        warn_group(ctx, case, advert)
    incidents.record(ctx, case, found, warned=warned)
    alert = case_card(ctx, case, texts.FRAUD_ALERT, reader=officer)
    if advert:
        alert = texts.FRAUD_ADVERT_FLAG.format(reporter=ctx.sender.name) + "\n" + alert
    if not warned:
        alert = texts.FRAUD_MAYBE_NOTE.format(id=case.id) + "\n" + alert
    ctx.tell(officer, alert, case_id=case.id)


WARNING_WINDOW = timedelta(minutes=30)  # at most one public warning per scam type per group in this window


def warn_group(ctx: Context, case: Case, advert: bool) -> None:
    """The fraud warning in the chat the report came from — the one public reply of this intent. A report of a
    known incident is warned here only when its group has not been warned of that incident yet, and a group hears
    one warning per scam type per WARNING_WINDOW (500 reports of one scam: one warning; the officer hears of each)."""
    msg = ctx.message
    if not msg.is_direct and outbox.warned_in_chat(ctx.session, channel=msg.channel, chat_id=msg.chat_id,
                                                   since=ctx.now - WARNING_WINDOW, scam_type=case.scam_type):
        return
    warning = warning_for(case.scam_type) + (texts.FRAUD_ADVERT_WARNING if advert else "")
    ctx.reply(warning, mention=[] if advert else [ctx.sender], kind="alert", case_id=case.id)


def _join_incident(ctx: Context, case: Case, found: list) -> None:
    """The same scam again: link it to the incident, warn this group once, tell the officers how far it spread."""
    joined = incidents.join(ctx, case, found)
    officer = ctx.person(case.assignee_id) or grid_officer(ctx, ctx.grid)
    if not joined.first_in_group:
        ctx.tell(officer, texts.INCIDENT_REPEAT.format(case=case.id, group=incidents.where(ctx),
                                                       reporter=ctx.sender.name, reports=joined.reports,
                                                       groups=len(joined.groups), text=incidents.sample(ctx)),
                 case_id=case.id)
        return
    # A scam already warned of elsewhere is confirmed: a suspicious report of it is warned too.
    confirmed = any(g.warned for g in joined.groups if g is not joined.row)
    if ctx.may_speak or confirmed:
        warn_group(ctx, case, is_scam_advert(ctx.message.text, phones=ctx.label.entities.phones))
        incidents.mark_warned(ctx, joined.row)
    known = {(i.kind, i.value) for i in indicators_of_case(ctx, case)}
    names = [_group_name(ctx, g) for g in joined.groups]
    spread = texts.INCIDENT_SPREAD.format(
        case=case.id, type=type_name(case), indicators=incidents.describe(found, known), groups=len(joined.groups),
        reports=joined.reports, group=incidents.where(ctx), reporter=ctx.sender.name, group_names="、".join(names),
        text=incidents.sample(ctx))
    ctx.tell(officer, spread, case_id=case.id)
    local = grid_officer(ctx, ctx.grid)
    if local is not None and local is not officer:
        ctx.tell(local, spread, case_id=case.id)


def indicators_of_case(ctx: Context, case: Case) -> list:
    return list(indicator_rows.indicators_of_case(ctx.session, case_id=case.id))


def _group_name(ctx: Context, row) -> str:  # noqa: ANN001
    if row.group_id is None:
        return texts.DIRECT_CHAT_NAME
    group = ctx.session.get(ChatGroup, row.group_id)
    return (group.name or group.chat_id) if group else str(row.group_id)


DATA = Path(__file__).resolve().parent.parent / "data" / "fraud_templates.json"


@cache
def _data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def warning_for(scam_type: str | None) -> str:
    templates = _data()["templates"]
    return templates.get(scam_type or "other") or templates["other"]


def is_hallmark_advert(text: str) -> bool:
    """An advert offering what is never a real job (刷单, 做任务, 日赚, 无抵押秒到账 …): the group is warned even when
    the model is less than sure, since the advert itself is already in front of every member. A plain job advert
    (招聘保洁 兼职 联系物业) has none of these words and stays a private card when the model is unsure."""
    low = normalize(text).lower().replace(" ", "")
    return any(word in low for word in _data()["advert"]["hallmark_words"])


def is_scam_advert(text: str, *, phones: tuple[str, ...] = ()) -> bool:
    """A scam advert offers easy money with a way to get in touch, and is not someone asking about one."""
    rules = _data()["advert"]
    low = normalize(text).lower().replace(" ", "")
    if any(word in low for word in rules["asking_words"]):
        return False
    offers = sum(1 for word in rules["offer_words"] if word in low)
    contact = bool(phones) or any(word in low for word in rules["contact_words"])
    return contact and offers >= rules["min_offer_words"]
