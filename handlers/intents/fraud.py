"""Fraud (反诈): warn the group with advice for the scam type, flag a pasted scam advert, alert the officer."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from handlers import texts
from handlers.cases.assignment import grid_officer
from handlers.cases.intake import open_from_message
from handlers.cases.view import case_card
from handlers.context import Context
from handlers.nlu.normalize import normalize
from handlers.router import Router
from storage import cases

router = Router("fraud")


@router.intent("fraud")
def on_fraud(ctx: Context) -> None:
    officer = grid_officer(ctx, ctx.grid)
    advert = is_scam_advert(ctx.message.text, phones=ctx.label.entities.phones)
    case = open_from_message(ctx, "fraud", scam_type=ctx.label.scam_type or "other",
                             assignee_id=officer.id if officer else None)
    if advert:
        cases.record_event(ctx.session, case=case, now=ctx.now, actor_id="gridbot", action="scam_advert")
    warning = warning_for(case.scam_type) + (texts.FRAUD_ADVERT_WARNING if advert else "")
    ctx.reply(warning, mention=[] if advert else [ctx.sender], kind="alert", case_id=case.id)
    alert = case_card(ctx, case, texts.FRAUD_ALERT, reader=officer)
    if advert:
        alert = texts.FRAUD_ADVERT_FLAG.format(reporter=ctx.sender.name) + "\n" + alert
    ctx.tell(officer, alert, case_id=case.id)


DATA = Path(__file__).resolve().parent.parent / "data" / "fraud_templates.json"


@cache
def _data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def warning_for(scam_type: str | None) -> str:
    templates = _data()["templates"]
    return templates.get(scam_type or "other") or templates["other"]


def is_scam_advert(text: str, *, phones: tuple[str, ...] = ()) -> bool:
    """A scam advert offers easy money with a way to get in touch, and is not someone asking about one."""
    rules = _data()["advert"]
    low = normalize(text).lower().replace(" ", "")
    if any(word in low for word in rules["asking_words"]):
        return False
    offers = sum(1 for word in rules["offer_words"] if word in low)
    contact = bool(phones) or any(word in low for word in rules["contact_words"])
    return contact and offers >= rules["min_offer_words"]
