"""Opening a case from a resident's message: the grid, the group, the reporter and the label's urgency."""
from __future__ import annotations

from handlers import texts
from handlers.cases import flow
from handlers.context import Context
from storage.models import Case, Person


def open_from_message(ctx: Context, kind: str, *, text: str | None = None, **fields) -> Case:  # noqa: ANN003
    """``text``: what the case records as the resident's words (default: the message's text)."""
    grid = ctx.grid
    label = ctx.label
    case = flow.open_case(
        ctx.session, now=ctx.now, actor_id=ctx.sender.id, kind=kind, grid_id=grid.id if grid else None,
        group_id=ctx.group.id if ctx.group else None, reporter_id=ctx.sender.id, text=text or ctx.message.text,
        urgent=bool(label and label.urgent), **fields,
    )
    ctx.message.case_id = case.id
    return case


def officer_name(officer: Person | None) -> str:
    return officer.name if officer else texts.DUTY_OFFICER_NAME
