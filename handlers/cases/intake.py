"""Opening a case from a resident's message: the grid, the group, the reporter and the label's urgency."""
from __future__ import annotations

from handlers import texts
from handlers.cases import flow
from handlers.context import Context
from storage import media
from storage.models import Case, Person


def open_from_message(ctx: Context, kind: str, *, text: str | None = None, **fields) -> Case:  # noqa: ANN003
    """``text``: what the case records as the resident's words (default: the message's text)."""
    grid = ctx.grid
    label = ctx.label
    text = ctx.message.text
    if ctx.message.kind == "image":  # the words were read from a screenshot: the card says so
        text = texts.IMAGE_TEXT_PREFIX + text
    case = flow.open_case(
        ctx.session, now=ctx.now, actor_id=ctx.sender.id, kind=kind, grid_id=grid.id if grid else None,
        group_id=ctx.group.id if ctx.group else None, reporter_id=ctx.sender.id, text=text or ctx.message.text,
        urgent=bool(label and label.urgent), **fields,
    )
    ctx.message.case_id = case.id
    attach_media(ctx, case)
    return case


def attach_media(ctx: Context, case: Case) -> None:
    """The message's photo, voice note or file becomes the case's evidence (the card links it)."""
    if ctx.message.kind != "text":
        media.attach_to_case(ctx.session, message_id=ctx.message.id, case_id=case.id)


def officer_name(officer: Person | None) -> str:
    return officer.name if officer else texts.DUTY_OFFICER_NAME
