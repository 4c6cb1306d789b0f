"""An inquiry (业务咨询): answer from the FAQ when sure, else open an inquiry case for the grid officer."""
from __future__ import annotations

from handlers import faq, texts
from handlers.cases.assignment import grid_officer, station_for
from handlers.cases.intake import officer_name, open_from_message
from handlers.cases.view import case_card, case_no
from handlers.context import Context
from handlers.router import Router
from storage.models import Person

router = Router("inquiry")


@router.intent("inquiry")
def on_inquiry(ctx: Context) -> None:
    officer = grid_officer(ctx, ctx.grid)
    found = faq.match(ctx.message.text)
    if found.confident:
        ctx.reply(faq_answer(ctx, found.entry, officer), mention=[ctx.sender])
        return
    case = open_from_message(ctx, "inquiry", assignee_id=officer.id if officer else None)
    ctx.reply(texts.INQUIRY_ACK.format(case=case_no(case), officer=officer_name(officer)),
              mention=[ctx.sender], case_id=case.id)
    ctx.tell(officer, case_card(ctx, case, reader=officer), case_id=case.id)


def faq_answer(ctx: Context, entry: faq.Entry, officer: Person | None) -> str:
    station = station_for(ctx.session, grid_id=ctx.grid.id if ctx.grid else None, config=ctx.config)
    info = dict(station=station.name, address=station.address, hours=station.hours, phone=station.phone)
    text = entry.answer.format(**info)
    if entry.station and entry.id != "station_info":
        text += texts.FAQ_STATION.format(**info)
    return text + texts.FAQ_MORE.format(officer=officer_name(officer))
