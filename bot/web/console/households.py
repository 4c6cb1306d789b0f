"""The household roster, one household's record with its edit forms, and the outreach coverage: thin views over
handlers/households (who sees what, masking, audit and the checks of an edit are decided there)."""
from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.web.console.common import form_value, read, redirect, render, user, write
from bot.web.console.common import now as clock_now
from handlers import texts
from handlers.households import access, edit, listing, outreach, record_form
from storage import people
from storage.models import Person


def _refused(request: web.Request) -> web.Response:
    return render(request, "notice.html", status=403, message=texts.CONSOLE_HOUSEHOLDS_STAFF_ONLY)


async def roster_page(request: web.Request) -> web.Response:
    person, grid_id = user(request).person, request.query.get("grid_id") or None
    pages = await write(request, lambda s: listing.roster_of(s, reader=person, grid_id=grid_id,
                                                             now=clock_now(request)))
    if pages is None:
        return _refused(request)
    return render(request, "households.html", pages=pages, grid_id=grid_id)


async def coverage_page(request: web.Request) -> web.Response:
    person, grid_id = user(request).person, request.query.get("grid_id") or None
    view = await read(request, lambda s: listing.coverage_of(s, reader=person, grid_id=grid_id))
    if view is None:
        return _refused(request)
    return render(request, "coverage.html", view=view, rate=outreach.rate, grid_id=grid_id)


async def household_page(request: web.Request, errors: list[str] | None = None,
                         status: int = 200) -> web.Response:
    """The record (read through access.household_record, so audited) with the forms to edit it."""
    person, household_id = user(request).person, request.match_info["household_id"]

    def load(session: Any) -> Any:
        record = access.household_record(session, household_id=household_id, reader=person, via="console",
                                         now=clock_now(request))
        caretakers = [(p.id, p.name) for p in people.staff(session)]
        known = {i for i, _ in caretakers}
        for r in record["residents"] if record else []:  # a caretaker outside the staff list stays selectable
            if r["caretaker_id"] and r["caretaker_id"] not in known:
                other = session.get(Person, r["caretaker_id"])
                caretakers.append((r["caretaker_id"], other.name if other else r["caretaker_id"]))
                known.add(r["caretaker_id"])
        return record, caretakers
    record, caretakers = await write(request, load)
    if record is None:
        return render(request, "notice.html", status=404,
                      message=texts.HOUSEHOLD_UNKNOWN.format(household=household_id))
    residents = [(r, record_form.resident_fields(r, person)) for r in record["residents"]]
    return render(request, "household.html", status=status, record=record, errors=errors or [],
                  home=record_form.household_fields(record, person), residents=residents, caretakers=caretakers,
                  flag_names=texts.FLAG_NAMES)


async def edit_household(request: web.Request) -> web.StreamResponse:
    person, household_id = user(request).person, request.match_info["household_id"]
    form = await request.post()
    submitted = {name: form_value(form, name) for name in edit.HOUSEHOLD_EDITABLE}

    def run(session: Any) -> Any:
        record = access.household_record(session, household_id=household_id, reader=person, via="console",
                                         now=clock_now(request))
        if record is None:
            return None
        changed = record_form.changes(submitted, record_form.household_fields(record, person),
                                      edit.HOUSEHOLD_EDITABLE)
        edit.edit_household(session, household_id=household_id, changes=changed,
                            editor=session.get(Person, person.id), now=clock_now(request))
        return texts.CONSOLE_HOUSEHOLD_SAVED.format(household=household_id)
    return await _save(request, run, household_id)


async def edit_resident(request: web.Request) -> web.StreamResponse:
    person, household_id = user(request).person, request.match_info["household_id"]
    raw = request.match_info["resident_id"]
    resident_id = int(raw) if raw.isdigit() else 0
    form = await request.post()
    submitted = {name: form_value(form, name) for name in edit.EDITABLE if name != "flags"}

    def run(session: Any) -> Any:
        record = access.household_record(session, household_id=household_id, reader=person, via="console",
                                         now=clock_now(request))
        resident = next((r for r in record["residents"] if r["id"] == resident_id), None) if record else None
        if resident is None:
            return None
        changed: dict[str, Any] = record_form.changes(submitted, record_form.resident_fields(resident, person),
                                                      edit.EDITABLE)
        if "checkin_wait_hours" in changed:
            changed["checkin_wait_hours"] = record_form.wait_hours(changed["checkin_wait_hours"])
        flags = [f for f in form.getall("flags", []) if isinstance(f, str)]
        if sorted(flags) != sorted(resident["flags"]):
            changed["flags"] = flags
        edit.edit_resident(session, resident_id=resident_id, changes=changed,
                           editor=session.get(Person, person.id), now=clock_now(request))
        return texts.CONSOLE_RESIDENT_SAVED.format(name=record_form.resident_fields(resident, person)["name"].value)
    return await _save(request, run, household_id)


async def _save(request: web.Request, run: Any, household_id: str) -> web.StreamResponse:
    try:
        message = await write(request, run)
    except edit.EditRefused as exc:  # nothing was written: the transaction rolled back
        return await household_page(request, errors=[str(exc)], status=400)
    if message is None:
        return render(request, "notice.html", status=404,
                      message=texts.HOUSEHOLD_UNKNOWN.format(household=household_id))
    raise redirect(f"/console/households/{household_id}", [message])


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/console/households", roster_page)
    router.add_get("/console/households/{household_id}", household_page)
    router.add_post("/console/households/{household_id}", edit_household)
    router.add_post("/console/households/{household_id}/residents/{resident_id}", edit_resident)
    router.add_get("/console/coverage", coverage_page)
