"""Pieces every command family uses: finding the case a command names, and who may act on it."""
from __future__ import annotations

from handlers import texts
from handlers.context import Context
from handlers.router import CommandCall
from storage import cases
from storage.models import Case


def case_from_args(call: CommandCall, ctx: Context, usage: str, *, need_rest: bool = False) -> tuple[Case, str] | None:
    """Parse 'N [rest]' and load case N for update; on any problem reply and return None."""
    parts = call.split(1)
    if not parts or not parts[0].lstrip("#").isdigit() or (need_rest and len(parts) < 2):
        ctx.reply(texts.BAD_USAGE.format(usage=usage))
        return None
    case_id = int(parts[0].lstrip("#"))
    case = cases.get_case(ctx.session, case_id=case_id, for_update=True)
    if case is None:
        ctx.reply(texts.UNKNOWN_CASE.format(case=case_id))
        return None
    if ctx.sender.role == "mediator" and case.mediator_id != ctx.sender.id:
        ctx.reply(texts.NOT_YOUR_CASE.format(case=case_id))
        return None
    return case, (parts[1] if len(parts) > 1 else "")
