"""The broadcast composer: targets (grids, tags, all), preview, confirm, live delivery status, retry of failures."""
from __future__ import annotations

from aiohttp import web

from bot.web.console.common import form_value, read, redirect, render, user, write
from bot.web.console.common import now as clock_now
from bot.web.responses import json_response
from handlers import broadcasting, texts
from handlers.roles import OFFICERS
from storage import broadcasts as store
from storage import groups, roster
from storage.models import Broadcast


def _officer(request: web.Request) -> None:
    if user(request).person.role not in OFFICERS:
        raise web.HTTPForbidden(text=texts.CONSOLE_OFFICERS_ONLY)


async def composer(request: web.Request) -> web.Response:
    _officer(request)

    def load(session):  # noqa: ANN001, ANN202
        recent = [(b, broadcasting.target_names(session, b.targets)) for b in store.recent(session)]
        return list(roster.all_grids(session, limit=500)), groups.group_tags(session), recent
    grids, tags, recent = await read(request, load)
    return render(request, "broadcasts.html", grids=grids, tags=tags, recent=recent)


async def preview(request: web.Request) -> web.StreamResponse:
    """POST /console/broadcasts: a draft from the chosen targets, shown with its groups before confirming."""
    _officer(request)
    form = await request.post()
    targets = ["all"] if form.get("all") else [*form.getall("grid", []), *(f"{broadcasting.TAG}{t}" for t in form.getall("tag", []))]
    text, person = form_value(form, "text"), user(request).person

    def run(session):  # noqa: ANN001, ANN202
        unknown = broadcasting.unknown_targets(session, targets)
        if unknown:
            return None, texts.UNKNOWN_GRID.format(grid="、".join(unknown), grids="")
        try:
            draft, _ = broadcasting.draft(session, actor_id=person.id, targets=targets, text=text, now=clock_now(request))
        except broadcasting.BroadcastRefused as exc:
            return None, str(exc)
        return draft.id, None
    draft_id, problem = await write(request, run)
    if problem:
        raise redirect("/console/broadcasts", [problem])
    raise redirect(f"/console/broadcasts/{draft_id}")


async def status_page(request: web.Request) -> web.Response:
    _officer(request)
    broadcast_id = _id(request)

    def load(session):  # noqa: ANN001, ANN202
        found = session.get(Broadcast, broadcast_id)
        if found is None:
            return None
        preview_groups = groups.groups_of_targets(session, targets=found.targets) if found.status == "draft" else []
        return (found, broadcasting.target_names(session, found.targets),
                broadcasting.deliveries(session, broadcast_id=found.id), preview_groups)
    loaded = await read(request, load)
    if loaded is None:
        raise web.HTTPNotFound(text=texts.UNKNOWN_BROADCAST.format(id=broadcast_id))
    found, names, deliveries, preview_groups = loaded
    return render(request, "broadcast.html", b=found, targets=names, deliveries=deliveries,
                  preview_groups=preview_groups, summary=_summary(deliveries),
                  message=texts.BROADCAST_TEXT.format(text=found.text))


async def status_json(request: web.Request) -> web.Response:
    _officer(request)
    deliveries = await read(request, lambda s: broadcasting.deliveries(s, broadcast_id=_id(request)))
    return json_response({"deliveries": [{"id": d.id, "status": d.status, "state": d.state, "error": d.error}
                                         for d in deliveries],
                          "pending": sum(d.status == "pending" for d in deliveries), "summary": _summary(deliveries)})


async def confirm(request: web.Request) -> web.StreamResponse:
    _officer(request)
    broadcast_id, person = _id(request), user(request).person

    def run(session):  # noqa: ANN001, ANN202
        try:
            draft, count = broadcasting.confirm(session, broadcast_id=broadcast_id, actor_id=person.id,
                                                now=clock_now(request))
        except broadcasting.BroadcastRefused as exc:
            return str(exc)
        return texts.BROADCAST_SENT.format(id=draft.id, count=count)
    raise redirect(f"/console/broadcasts/{broadcast_id}", [await write(request, run)])


async def retry(request: web.Request) -> web.StreamResponse:
    _officer(request)
    broadcast_id, person = _id(request), user(request).person
    n = await write(request, lambda s: broadcasting.retry_failed(s, broadcast_id=broadcast_id, actor_id=person.id,
                                                                 now=clock_now(request)))
    message = texts.BROADCAST_RETRIED.format(n=n) if n else texts.BROADCAST_NOTHING_TO_RETRY
    raise redirect(f"/console/broadcasts/{broadcast_id}", [message])


def _summary(deliveries: list) -> str:
    count = {s: sum(d.status == s for d in deliveries) for s in ("sent", "pending", "failed")}
    return texts.BROADCAST_SUMMARY.format(total=len(deliveries), **count)


def _id(request: web.Request) -> int:
    raw = request.match_info["broadcast_id"]
    if not raw.isdigit():
        raise web.HTTPNotFound()
    return int(raw)
