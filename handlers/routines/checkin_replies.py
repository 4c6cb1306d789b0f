"""What a vulnerable resident writes: the answer to a pending check-in (1 平安 / 2 需要帮忙), and any message of
theirs the danger detector flags, which is a help call with their address and caretaker attached. Declared as
a conversation so it meets the message before the intents do."""
from __future__ import annotations

from handlers import texts
from handlers.context import Context
from handlers.households.access import salutation
from handlers.households.danger import is_flagged, officer_of, open_help_call
from handlers.router import Router
from handlers.routines.checkins import close_open
from storage import households
from storage.models import Household, Role

router = Router("checkins")


def parse_answer(text: str) -> str | None:
    """'1' / '平安' → 'ok'; '2' / '需要帮忙' / '我摔倒了' → 'help'; None when it is not an answer."""
    text = text.strip().strip("。.!！~～ ")
    digit = text[:1] if text[:1] in ("1", "2") and not text[1:2].isdigit() else ""
    if digit == "2" or any(word in text for word in texts.CHECKIN_HELP_WORDS if len(word) > 1):
        return "help"
    if digit == "1" or text in texts.CHECKIN_OK_WORDS or text.startswith("平安"):
        return "ok"
    return None


@router.conversation("vulnerable")
def on_vulnerable_message(ctx: Context) -> bool:
    """True when the message was a check-in answer or a call for help and has been dealt with."""
    if ctx.sender.role != Role.RESIDENT or not ctx.message.text.strip():
        return False
    if ctx.group is not None and ctx.group.grid_id is None:
        return False  # an unbound group listens to commands only
    resident = households.resident_of_person(ctx.session, person_id=ctx.sender.id)
    if resident is None:
        return False
    household = ctx.session.get(Household, resident.household_id)
    pending = households.open_checkins(ctx.session, resident_id=resident.id) if ctx.message.is_direct else []
    answer = parse_answer(ctx.message.text) if pending else None
    if answer == "ok":
        close_open(ctx.session, resident=resident, now=ctx.now, by=ctx.sender.id, state="ok", answer=ctx.message.text)
        ctx.reply(texts.CHECKIN_THANKS.format(salutation=salutation(resident)))
        return True
    if answer is None:
        _classify(ctx)
        if not is_flagged(ctx.label):
            if pending:  # they answered in their own words: they are there
                close_open(ctx.session, resident=resident, now=ctx.now, by=ctx.sender.id, state="ok",
                           answer=ctx.message.text)
            return False
    case = open_help_call(ctx, resident, household, text=ctx.message.text, reporter=ctx.sender)
    close_open(ctx.session, resident=resident, now=ctx.now, by=ctx.sender.id, state="help", answer=ctx.message.text,
               case_id=case.id)
    officer = officer_of(ctx, household)
    if ctx.group is None:
        caretaker = ctx.person(resident.caretaker_id)
        ctx.reply(texts.CHECKIN_HELP_ACK.format(caretaker=caretaker.name if caretaker else texts.DUTY_OFFICER_NAME,
                                                officer=officer.name if officer else texts.DUTY_OFFICER_NAME),
                  kind="alert", case_id=case.id)
    else:  # the group hears only that help is coming: no address, no phone, no caretaker
        ctx.reply(texts.HELP_ACK.format(officer=officer.name if officer else texts.DUTY_OFFICER_NAME),
                  mention=[ctx.sender], kind="alert", case_id=case.id)
    return True


def _classify(ctx: Context) -> None:
    if ctx.label is None:
        ctx.label = ctx.classifier.classify(ctx.message.text)
        ctx.message.intent = ctx.label.intent
        ctx.message.label = ctx.label.to_dict()
