"""How a case is shown to officers and residents."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers import texts
from handlers.context import Context
from handlers.nlu.entities import mask_personal
from storage import cases
from storage.models import Case, ChatGroup, Grid


def case_no(case: Case) -> str:
    return f"{case.id}"


def type_name(case: Case) -> str:
    if case.kind == "dispute":
        return texts.SUBTYPE_NAMES.get(case.subtype or "other", "其他纠纷")
    scam = texts.SCAM_TYPE_NAMES.get(case.scam_type, case.scam_type) if case.scam_type else ""
    return texts.KIND_NAMES.get(case.kind, case.kind) + (f"/{scam}" if scam else "")


def local_time(ctx: Context, when: datetime) -> str:
    return when.astimezone(ctx.config.tz).strftime("%Y-%m-%d %H:%M")


def name_of(ctx: Context, person_id: str | None) -> str:
    person = ctx.person(person_id)
    return person.name if person else (person_id or "—")


def case_card(ctx: Context, case: Case, template: str = texts.CASE_CARD) -> str:
    """A case for staff (direct chats only: it carries the resident's own words and phone).

    ``ctx`` needs only ``session``, ``config`` and ``person()``, so timers can pass a plain view.
    """
    grid = ctx.session.get(Grid, case.grid_id) if case.grid_id else None
    group = ctx.session.get(ChatGroup, case.group_id) if case.group_id else None
    reporter = ctx.person(case.reporter_id)
    return template.format(
        kind=texts.KIND_NAMES.get(case.kind, case.kind), case=case_no(case), id=case.id,
        grid=grid.name if grid else (case.grid_id or "—"), type=type_name(case),
        reporter=reporter.name if reporter else "—",
        phone=(reporter.phone if reporter else "") or texts.PHONE_UNKNOWN,
        group=(group.name or group.chat_id) if group else texts.DIRECT_CHAT_NAME,
        time=local_time(ctx, case.created_at), text=case.text,
    )


def case_detail(ctx: Context, case: Case) -> str:
    events = cases.case_events(ctx.session, case_id=case.id)
    lines = [
        f"{local_time(ctx, e.at)} {name_of(ctx, e.actor_id)} {e.action}"
        + (f" {e.from_status}→{e.to_status}" if e.to_status and e.from_status else "")
        + (f"：{e.detail}" if e.detail else "")
        for e in events
    ]
    return texts.CASE_DETAIL.format(
        case=case_no(case), kind=texts.KIND_NAMES.get(case.kind, case.kind), type=type_name(case),
        status=texts.STATUS_NAMES.get(case.status, case.status), grid=case.grid_id or "—",
        assignee=name_of(ctx, case.assignee_id), reporter=name_of(ctx, case.reporter_id),
        text=mask_personal(case.text), events="\n".join(lines[-15:]),
    )


def case_json(case: Case, events: list[Any] | None = None) -> dict[str, Any]:
    data = case.model_dump(mode="json")
    if events is not None:
        data["events"] = [e.model_dump(mode="json") for e in events]
    return data
