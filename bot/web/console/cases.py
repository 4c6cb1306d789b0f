"""The case board, the case page, its actions and papers: thin views over handlers/cases and handlers/mediation."""
from __future__ import annotations

from aiohttp import web

from bot.keys import CONFIG, PIPELINE
from bot.web.console.common import form_value, read, redirect, render, user, write
from bot.web.console.common import now as clock_now
from handlers import scope, texts
from handlers.cases import acting, correcting
from handlers.cases.board import COLUMNS, BoardFilter, board, is_overdue
from handlers.cases.page import ACTIONS, case_page
from handlers.cases.view import type_name
from handlers.mediation import papers
from handlers.privacy import mask_personal
from handlers.roles import ASSIGNABLE
from storage import papers as store_papers
from storage import people, roster
from storage.models import Person


async def board_page(request: web.Request) -> web.Response:
    config, person = request.app[CONFIG], user(request).person
    filters = BoardFilter.from_query(request.query)

    def load(session):  # noqa: ANN001, ANN202
        found = board(session, person=person, filters=filters, now=clock_now(request), tz=config.tz)
        grids = roster.all_grids(session) if scope.station_wide(person) else \
            [g for g in roster.all_grids(session) if g.id in scope.grids_of(session, person)]
        names = {p.id: p.name for p in people.staff(session)}
        cards = {status: [{"id": c.id, "type": type_name(c), "kind": c.kind, "text": mask_personal(c.text)[:60],
                           "assignee": names.get(c.assignee_id, texts.NOBODY), "hard": c.hard, "urgent": c.urgent,
                           "overdue": is_overdue(c, clock_now(request)),
                           "created": c.created_at.astimezone(config.tz).strftime("%m-%d %H:%M")}
                          for c in found.columns[status]] for status in COLUMNS}
        staff = [(p.id, p.name) for p in people.staff(session) if p.role in ASSIGNABLE]
        return found, cards, grids, staff
    found, cards, grids, staff = await read(request, load)
    return render(request, "board.html", board=found, cards=cards, columns=COLUMNS, grids=grids, staff=staff,
                  f=filters, query=request.query_string)


async def case_view(request: web.Request) -> web.Response:
    config, person = request.app[CONFIG], user(request).person
    case_id = _case_id(request)
    routes = request.app[PIPELINE].routes

    def load(session):  # noqa: ANN001, ANN202
        case = acting.visible(session, person, case_id)
        if case is None:
            return None
        page = case_page(session, config=config, person=person, case=case, routes=routes)
        staff = [(p.id, f"{p.name}（{texts.ROLE_NAMES[p.role]}）") for p in people.staff(session) if p.role in ASSIGNABLE]
        return page, staff, papers.may_work_papers(session, person, case) is None
    found = await read(request, load)
    if found is None:
        return render(request, "missing.html", status=404, case_id=case_id)
    page, staff, may_papers = found
    return render(request, "case.html", page=page, staff=staff, may_papers=may_papers, parties=papers.PARTIES,
                  paper_kinds=papers.KINDS, wrong_kinds=correcting.CONSOLE_KINDS,
                  wrong_subtypes=correcting.subtype_choices())


async def case_action(request: web.Request) -> web.StreamResponse:
    """POST /console/cases/{id}/{action}: run the matching command as the signed-in person."""
    config, person = request.app[CONFIG], user(request).person
    case_id, action = _case_id(request), request.match_info["action"]
    form = await request.post()
    text, who = form_value(form, "text"), form_value(form, "person")
    pipeline = request.app[PIPELINE]
    if action not in ACTIONS and action != "wrong":
        raise web.HTTPNotFound()

    def run(session):  # noqa: ANN001, ANN202
        actor = session.get(Person, person.id)
        if acting.visible(session, actor, case_id) is None:
            return None
        if action == "wrong":  # the same /wrong command as in a chat
            command = correcting.command_text(case_id, form_value(form, "kind"), form_value(form, "subtype"), text)
            return acting.run_command(session, actor=actor, text=command, config=config, now=clock_now(request),
                                      routes=pipeline.routes, channels=pipeline.channels, case_id=case_id)
        command, _, needs_text = ACTIONS[action]
        if (needs_text and not text) or (action == "assign" and not who):
            return acting.Outcome(False, [texts.CONSOLE_NEEDS_TEXT])
        args = " ".join(part for part in (str(case_id), who if action == "assign" else "", text) if part)
        return acting.run_command(session, actor=actor, text=f"/{command} {args}", config=config,
                                  now=clock_now(request), routes=pipeline.routes, channels=pipeline.channels,
                                  case_id=case_id)
    outcome = await write(request, run)
    if outcome is None:
        return render(request, "missing.html", status=404, case_id=case_id)
    raise redirect(f"/console/cases/{case_id}", outcome.answers)


async def record_consent(request: web.Request) -> web.StreamResponse:
    person, case_id = user(request).person, _case_id(request)
    form = await request.post()

    def run(session):  # noqa: ANN001, ANN202
        actor = session.get(Person, person.id)
        case = acting.visible(session, actor, case_id)
        if case is None:
            return None
        try:
            papers.record_consent(session, case=case, person=actor, party=form_value(form, "party"),
                                  name=form_value(form, "name"), phone=form_value(form, "phone"), now=clock_now(request))
        except papers.PaperRefused as exc:
            return str(exc)
        return texts.CONSOLE_CONSENT_RECORDED
    message = await write(request, run)
    if message is None:
        return render(request, "missing.html", status=404, case_id=case_id)
    raise redirect(f"/console/cases/{case_id}", [message])


async def make_paper(request: web.Request) -> web.StreamResponse:
    config, person, case_id = request.app[CONFIG], user(request).person, _case_id(request)
    form = await request.post()
    kind, shared = form_value(form, "kind"), form_value(form, "shared") == "1"

    def run(session):  # noqa: ANN001, ANN202
        actor = session.get(Person, person.id)
        case = acting.visible(session, actor, case_id)
        if case is None:
            return None
        try:
            papers.make_paper(session, config=config, case=case, person=actor, kind=kind, shared=shared,
                              now=clock_now(request))
        except papers.PaperRefused as exc:
            return str(exc)
        return texts.CONSOLE_PAPER_MADE
    message = await write(request, run)
    if message is None:
        return render(request, "missing.html", status=404, case_id=case_id)
    raise redirect(f"/console/cases/{case_id}", [message])


async def download_paper(request: web.Request) -> web.StreamResponse:
    person, case_id = user(request).person, _case_id(request)
    doc_id = int(request.match_info["doc_id"]) if request.match_info["doc_id"].isdigit() else 0

    def load(session):  # noqa: ANN001, ANN202
        doc = store_papers.document(session, document_id=doc_id)
        if doc is None or doc.case_id != case_id or acting.visible(session, person, case_id) is None:
            return None
        return doc.filename, doc.content
    found = await read(request, load)
    if found is None:
        raise web.HTTPNotFound(text="没有这份文书")
    name, content = found
    return web.Response(body=content, headers=_attachment(name),
                        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _attachment(name: str) -> dict[str, str]:
    from urllib.parse import quote

    return {"Content-Disposition": f"attachment; filename=\"document.docx\"; filename*=UTF-8''{quote(name)}"}


def _case_id(request: web.Request) -> int:
    raw = request.match_info["case_id"]
    if not raw.isdigit():
        raise web.HTTPNotFound()
    return int(raw)
