"""An officer corrects what the bot read a case as (/wrong N KIND [SUBTYPE], 误判): a false alarm is closed as 误报
(with one short correction in each group where the bot spoke about it); a wrong kind goes to the people of the
right kind (a dispute to its mediator, a call for help to the grid and duty officers, with the resident's
acknowledgement). Every correction is stored with the message's masked words, for retraining."""
from __future__ import annotations

from dataclasses import dataclass

from handlers import texts
from handlers.cases import flow as case_flow
from handlers.cases.view import case_card
from handlers.context import Context
from handlers.nlu.label import INTENTS
from handlers.privacy import mask_personal
from storage import corrections, groups, messages, roster
from storage.models import Case, ChatGroup, Grid, Person

FALSE_ALARM = "chatter"  # a false alarm: the message needed nothing (误报, 闲聊)
_ENGLISH = {"false": "chatter", "false_alarm": "chatter", "falsealarm": "chatter", "wrong": "chatter",
            **{i: i for i in INTENTS}}


@dataclass(frozen=True)
class Verdict:
    """The right label of a case's message, as an officer typed it, and why (free text)."""

    intent: str
    subtype: str | None = None
    scam_type: str | None = None
    reason: str = ""


def parse_verdict(words: list[str]) -> Verdict | None:
    """``['纠纷', '噪音', '楼上…']`` → Verdict('dispute', 'noise', reason='楼上…'); None when the kind or a
    needed subtype is not understood."""
    if not words:
        return None
    first = words[0].lower()
    if first == "false" and len(words) > 1 and words[1].lower() == "alarm":
        words = ["false", *words[2:]]
    intent = texts.CORRECTION_KIND_WORDS.get(words[0]) or _ENGLISH.get(first)
    if intent is None:
        return None
    rest = words[1:]
    if intent not in ("dispute", "fraud") or not rest:
        return Verdict(intent, reason=" ".join(rest))
    sub = _subtype(intent, rest[0])
    if sub is None:
        return None
    reason = " ".join(rest[1:])
    return Verdict(intent, subtype=sub, reason=reason) if intent == "dispute" else \
        Verdict(intent, scam_type=sub, reason=reason)


def _subtype(intent: str, word: str) -> str | None:
    names = texts.SUBTYPE_NAMES if intent == "dispute" else texts.SCAM_TYPE_NAMES
    words = texts.CORRECTION_SUBTYPE_WORDS if intent == "dispute" else texts.CORRECTION_SCAM_WORDS
    if word.lower() in names:
        return word.lower()
    by_name = {name: code for code, name in names.items()}
    return by_name.get(word) or words.get(word)


CONSOLE_KINDS = texts.WRONG_CONSOLE_KINDS


def subtype_choices() -> list[tuple[str, str]]:
    """(code, Chinese name) of every dispute subtype and scam type, for the console's correction form."""
    return [(code, texts.WRONG_CONSOLE_SUBTYPE.format(kind=texts.KIND_NAMES["dispute"], name=name))
            for code, name in texts.SUBTYPE_NAMES.items() if code != "other"] + \
        [(code, texts.WRONG_CONSOLE_SUBTYPE.format(kind=texts.KIND_NAMES["fraud"], name=name))
         for code, name in texts.SCAM_TYPE_NAMES.items() if code != "other"]


def command_text(case_id: int, kind: str = "", subtype: str = "", reason: str = "") -> str:
    """The /wrong command a console form or a case-API call stands for: a false alarm unless a kind is given; a
    dispute or fraud with a reason but no subtype gets 其他 (so the reason is not read as one)."""
    kind, subtype, reason = kind.strip() or "误报", subtype.strip(), " ".join(reason.split())
    intent = texts.CORRECTION_KIND_WORDS.get(kind) or _ENGLISH.get(kind.lower())
    if intent not in ("dispute", "fraud"):
        subtype = ""
    elif not subtype and reason:
        subtype = "other"
    return " ".join(part for part in (f"/wrong {case_id}", kind, subtype, reason) if part)


def correct(ctx: Context, case: Case, verdict: Verdict) -> None:
    """Apply the officer's correction and answer them (the caller has checked role and grid)."""
    if verdict.intent == FALSE_ALARM:
        _false_alarm(ctx, case, verdict)
        return
    subtype = verdict.subtype or ("other" if verdict.intent == "dispute" else None)
    scam_type = verdict.scam_type or ("other" if verdict.intent == "fraud" else None)
    if (case.kind, case.subtype, case.scam_type) == (verdict.intent, subtype, scam_type) or \
            (case.kind == verdict.intent and not verdict.subtype and not verdict.scam_type):
        ctx.reply(texts.WRONG_SAME.format(case=case.id, type=texts.type_label(case.kind, case.subtype, case.scam_type)))
        return
    refused = case_flow.refusal(case, "reroute")
    if refused:
        ctx.reply(refused)
        return
    _reroute(ctx, case, Verdict(verdict.intent, subtype, scam_type, verdict.reason))


def _false_alarm(ctx: Context, case: Case, verdict: Verdict) -> None:
    refused = case_flow.refusal(case, "wrong")
    if refused:
        ctx.reply(refused)
        return
    record(ctx, case, verdict)
    spoken = public_groups(ctx, case)
    case_flow.mark_wrong(ctx.session, case=case, actor_id=ctx.sender.id, now=ctx.now, reason=verdict.reason)
    for group in spoken:
        ctx.post(group, texts.CORRECTION_NOTICE, kind="notice", case_id=case.id)
    ctx.reply((texts.WRONG_CLOSED_PUBLIC if spoken else texts.WRONG_CLOSED).format(case=case.id))


def _reroute(ctx: Context, case: Case, verdict: Verdict) -> None:
    before = texts.type_label(case.kind, case.subtype, case.scam_type)
    after = texts.type_label(verdict.intent, verdict.subtype, verdict.scam_type)
    was_fraud, old_mediator = case.kind == "fraud", ctx.person(case.mediator_id)
    warned = public_groups(ctx, case, alerts_only=True) if was_fraud and verdict.intent != "fraud" else []
    record(ctx, case, verdict)
    grid = ctx.session.get(Grid, case.grid_id) if case.grid_id else None
    officer = ctx.person(case.assignee_id) or ctx.person(grid.officer_id if grid else None) or _duty(ctx, case)
    mediator = _mediator(ctx, case, verdict.subtype) if verdict.intent == "dispute" else None
    urgent = _urgent(case, verdict.intent)
    detail = texts.WRONG_EVENT.format(before=before, after=after) + (f"：{verdict.reason}" if verdict.reason else "")
    case_flow.reroute(ctx.session, case=case, actor_id=ctx.sender.id, now=ctx.now, kind=verdict.intent,
                      subtype=verdict.subtype, scam_type=verdict.scam_type, urgent=urgent,
                      assignee_id=officer.id if officer else None, mediator_id=mediator.id if mediator else None,
                      detail=detail)
    case_flow.acknowledge(ctx.session, case=case, actor=ctx.sender, now=ctx.now, start=False)
    for group in warned:
        ctx.post(group, texts.CORRECTION_FRAUD_NOTICE, kind="notice", case_id=case.id)
    people = _distinct([officer, mediator] + ([_duty(ctx, case)] if verdict.intent == "help" else []))
    _tell(ctx, case, people, old_mediator, before, after)
    if verdict.intent == "help":
        _acknowledge_help(ctx, case, officer)
    names = "、".join(p.name for p in people) or texts.NOBODY
    ctx.reply(texts.WRONG_REROUTED.format(case=case.id, before=before, after=after, people=names))


def _tell(ctx: Context, case: Case, people: list[Person], old_mediator: Person | None, before: str,
          after: str) -> None:
    """The people of the new kind get the case card; a mediator who no longer has the case hears so."""
    template = {"help": texts.HELP_CARD, "fraud": texts.FRAUD_ALERT}.get(case.kind, texts.CASE_CARD)
    for person in people:
        if person.id != ctx.sender.id:
            ctx.tell(person, texts.WRONG_REROUTED_TO_YOU.format(
                actor=ctx.sender.name, case=case.id, before=before, after=after,
                card=case_card(ctx, case, template, reader=person)), case_id=case.id)
    if old_mediator is not None and old_mediator.id not in {p.id for p in people} | {ctx.sender.id}:
        ctx.tell(old_mediator, texts.WRONG_RELEASED.format(actor=ctx.sender.name, case=case.id, before=before,
                                                           after=after), kind="notice", case_id=case.id)


def _acknowledge_help(ctx: Context, case: Case, officer: Person | None) -> None:
    """A call for help the bot missed: the resident hears at once that the officers know (as the help path says)."""
    group = ctx.session.get(ChatGroup, case.group_id) if case.group_id else None
    reporter = ctx.person(case.reporter_id)
    text = texts.HELP_ACK.format(officer=officer.name if officer else texts.DUTY_OFFICER_NAME)
    if group is not None:
        ctx.post(group, text, mention=[reporter] if reporter else None, kind="alert", case_id=case.id)
    else:
        ctx.tell(reporter, text, case_id=case.id)


def public_groups(ctx: Context, case: Case, *, alerts_only: bool = False) -> list[ChatGroup]:
    """The groups where the bot itself spoke about the case (each once)."""
    ids = [m.id for m in messages.messages_of_case(ctx.session, case_id=case.id)]
    rows = corrections.public_rows_of_case(ctx.session, case_id=case.id, message_ids=ids,
                                           kinds=("alert",) if alerts_only else corrections.PUBLIC_KINDS)
    found: dict[tuple[str, str], ChatGroup] = {}
    for row in rows:
        group = groups.find_group(ctx.session, channel=row.channel, chat_id=row.chat_id)
        if group is not None:
            found.setdefault((row.channel, row.chat_id), group)
    return list(found.values())


def record(ctx: Context, case: Case, verdict: Verdict) -> None:
    """Store the correction: the message that opened the case (masked), what the case was, what it is."""
    opened = messages.messages_of_case(ctx.session, case_id=case.id, limit=1)
    message = opened[0] if opened else None
    urgent = _urgent(case, verdict.intent)
    corrections.add(ctx.session, now=ctx.now, case_id=case.id, message_id=message.id if message else None,
                    text=mask_personal(message.text if message else case.text), original_intent=case.kind,
                    original_subtype=case.subtype, original_scam_type=case.scam_type, intent=verdict.intent,
                    subtype=verdict.subtype, scam_type=verdict.scam_type, urgent=urgent, officer_id=ctx.sender.id)


def _urgent(case: Case, intent: str) -> bool:
    """Help is always urgent; a fraud or dispute keeps the case's urgency only when its kind stays."""
    return intent == "help" or (case.urgent and case.kind == intent)


def _mediator(ctx: Context, case: Case, subtype: str | None) -> Person | None:
    community = roster.community_of(ctx.session, grid_id=case.grid_id)
    community_id = community.id if community else ctx.config.community.id
    return ctx.person(roster.mediator_id(ctx.session, community_id=community_id, subtype=subtype or "other"))


def _duty(ctx: Context, case: Case) -> Person | None:
    station = roster.station_of(ctx.session, grid_id=case.grid_id, default_id=ctx.config.station.id)
    return ctx.person(station.duty_officer_id if station else None)


def _distinct(people: list[Person | None]) -> list[Person]:
    seen: dict[str, Person] = {}
    for person in people:
        if person is not None:
            seen.setdefault(person.id, person)
    return list(seen.values())
