"""How a case is shown to officers and residents."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers import texts
from handlers.context import Context
from handlers.media.rows import location_line, media_line
from handlers.privacy import for_reader, mask_personal
from storage import cases, media
from storage.models import Case, CaseEvent, ChatGroup, Grid, Person, Role


def case_no(case: Case) -> str:
    return f"{case.id}"


def type_name(case: Case) -> str:
    """A dispute by its subtype (噪音扰民), anything else by its kind and scam type (反诈预警/刷单返利)."""
    if case.kind == "dispute":
        return texts.SUBTYPE_NAMES[case.subtype or "other"]
    return texts.type_label(case.kind, scam_type=case.scam_type)


def local_time(ctx: Context, when: datetime) -> str:
    return when.astimezone(ctx.config.tz).strftime("%Y-%m-%d %H:%M")


def name_of(ctx: Context, person_id: str | None) -> str:
    if person_id in texts.SYSTEM_ACTORS:
        return texts.SYSTEM_ACTORS[person_id]
    person = ctx.person(person_id)
    return person.name if person else texts.NOBODY


def case_card(ctx: Context, case: Case, template: str = texts.CASE_CARD, *, reader: Person | None = None) -> str:
    """A case for staff (direct chats only: it carries the resident's own words and phone), ending with what
    its ``reader`` may do next. Numbers in it are raw for the police only (``privacy.for_reader``); a mediator or
    a grid worker reads them masked.

    ``ctx`` needs only ``session``, ``config`` and ``person()``, so timers can pass a plain view.
    """
    grid = ctx.session.get(Grid, case.grid_id) if case.grid_id else None
    group = ctx.session.get(ChatGroup, case.group_id) if case.group_id else None
    reporter = ctx.person(case.reporter_id)
    actions = texts.CARD_ACTIONS.get(reader.role if reader else Role.OFFICER, "").format(id=case.id)
    card = template.format(
        kind=texts.KIND_NAMES.get(case.kind, case.kind), case=case_no(case), id=case.id,
        grid=grid.name if grid else texts.UNGRIDDED, type=type_name(case),
        reporter=reporter.name if reporter else texts.NOBODY,
        phone=for_reader(reporter.phone if reporter else "", reader) or texts.PHONE_UNKNOWN,
        group=(group.name or group.chat_id) if group else texts.DIRECT_CHAT_NAME,
        time=local_time(ctx, case.created_at), text=for_reader(case.text, reader), actions=_ACTIONS,
    )
    evidence = evidence_lines(ctx, case)
    return card.replace(_ACTIONS, "\n".join([*evidence, actions]) if evidence else actions).rstrip()


_ACTIONS = "\x00actions\x00"


def evidence_lines(ctx: Context, case: Case) -> list[str]:
    """A case's locations and its photos, voice notes and files, a line each with a map or a signed link."""
    now = getattr(ctx, "now", None) or case.updated_at
    lines = [location_line(m.details["location"]) for m in media.locations_of_case(ctx.session, case_id=case.id)
             if isinstance((m.details or {}).get("location"), dict)]
    return lines + [media_line(ctx.config, row, now) for row in media.media_of_case(ctx.session, case_id=case.id)]


def case_detail(ctx: Context, case: Case, *, raw: bool = False) -> str:
    """/case N: the case and its last 15 events. The resident's words raw only when ``raw`` (the grid's police in
    a direct chat); officers' notes in the events are always masked."""
    events = cases.case_events(ctx.session, case_id=case.id)
    lines = [event_line(ctx, e) for e in events]
    grid = ctx.session.get(Grid, case.grid_id) if case.grid_id else None
    return texts.CASE_DETAIL.format(
        case=case_no(case), type=texts.type_label(case.kind, case.subtype, case.scam_type),
        status=texts.STATUS_NAMES[case.status], grid=grid.name if grid else texts.UNGRIDDED,
        assignee=name_of(ctx, case.assignee_id), reporter=name_of(ctx, case.reporter_id),
        text=case.text if raw else mask_personal(case.text), events="\n".join(lines[-15:]),
    )


def event_line(ctx: Context, event: CaseEvent) -> str:
    """'11-02 09:00 李警官 接单（已指派→处理中）：负责人：李警官'."""
    move = ""
    if event.from_status and event.to_status:
        move = texts.CASE_EVENT_MOVE.format(before=texts.STATUS_NAMES[event.from_status],
                                            after=texts.STATUS_NAMES[event.to_status])
    return texts.CASE_EVENT_LINE.format(
        time=local_time(ctx, event.at), actor=name_of(ctx, event.actor_id),
        event=texts.EVENT_NAMES.get(event.action, texts.EVENT_NAMES["note"]), move=move,
        detail=f"：{mask_personal(event.detail)}" if event.detail else "")


def case_json(case: Case, events: list[Any] | None = None, *, masked: bool = True) -> dict[str, Any]:
    """A case for the API: residents' numbers masked unless ``masked`` is False (the grid's police, the service)."""
    data = case.model_dump(mode="json")
    if masked:
        data["text"], data["outcome"] = mask_personal(case.text), case.outcome and mask_personal(case.outcome)
    if events is not None:
        data["events"] = [e.model_dump(mode="json") for e in events]
        for event in data["events"] if masked else []:
            event["detail"] = event["detail"] and mask_personal(event["detail"])
    return data
