"""周五工作法: the Friday agenda of hard disputes, per grid and mediator, and the call for outcomes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from handlers import texts
from handlers.privacy import mask_personal
from storage import agenda as store_agenda
from storage import cases, outbox, people
from storage.models import Case, Grid, Person, Role

CONSENTING = ("applicant", "respondent")  # both parties, before a dispute goes on the agenda
LISTED = 100  # items at most in a draft or on the console page; the count says how many more


@dataclass
class Entry:
    case: Case
    reasons: list[str]

    @property
    def reason_text(self) -> str:
        return ",".join(self.reasons)


def week_of(now: datetime, tz: Any) -> str:
    """The local date of the Friday of ``now``'s week (today on a Friday; the coming one otherwise)."""
    local = now.astimezone(tz).date()
    return (local + timedelta(days=(4 - local.weekday()) % 7)).isoformat()


def compile_agenda(session: Session, *, config: Any, now: datetime, gate: bool = True, visible: Any = None,
                   limit: int | None = None) -> list[Entry]:
    """Unresolved disputes that are hard this week, in suggested order (urgent, escalated, reopened, age): the first
    ``limit`` (None: all), within ``visible`` (a clause on Case). With ``[friday] require_consent`` (and ``gate``),
    only those whose parties have both consented to mediation."""
    entries = []
    for found in store_agenda.hard_disputes(session, **_criteria(session, config=config, now=now, gate=gate),
                                            visible=visible, limit=limit):
        case = found.case
        marks = {"carried": found.carried, "escalated": found.escalated, "reopened": found.reopened,
                 "hard": case.hard, "old": case.created_at < now - timedelta(days=config.friday.hard_after_days)}
        entries.append(Entry(case, (["urgent"] if case.urgent else []) + [name for name, on in marks.items() if on]))
    return entries


def count_agenda(session: Session, *, config: Any, now: datetime, gate: bool = True, visible: Any = None) -> int:
    """How many disputes compile_agenda would list without a limit (one COUNT)."""
    return store_agenda.count_hard_disputes(session, **_criteria(session, config=config, now=now, gate=gate),
                                            visible=visible)


def _criteria(session: Session, *, config: Any, now: datetime, gate: bool) -> dict[str, Any]:
    return {"carried_from": store_agenda.latest_agenda_week(session, before=week_of(now, config.tz)),
            "old_before": now - timedelta(days=config.friday.hard_after_days),
            "consent": CONSENTING if gate and config.friday.require_consent else ()}


def concerned(session: Session, case: Case) -> list[str]:
    """Who gets an item: the grid's officer, the assignee, the mediator."""
    grid = session.get(Grid, case.grid_id) if case.grid_id else None
    ids = [grid.officer_id if grid else None, case.assignee_id, case.mediator_id]
    return list(dict.fromkeys(i for i in ids if i))


def post_agenda(session: Session, *, config: Any, run_key: str, now: datetime) -> int:
    """Store this Friday's agenda and send each concerned person their part. Returns messages written."""
    week = week_of(now, config.tz)
    entries = compile_agenda(session, config=config, now=now)
    store_agenda.save_agenda(session, week=week, items=[(e.case.id, e.reason_text) for e in entries], now=now)
    return _send_each(session, entries, run_key=run_key, now=now, kind="agenda",
                      render=lambda mine: texts.AGENDA_HEADER.format(date=week, n=len(mine)) + "\n" + render_entries(
                          session, mine, config=config, now=now))


def ask_outcomes(session: Session, *, config: Any, run_key: str, now: datetime) -> int:
    """Ask each concerned person for the outcome of this Friday's items that are still unresolved."""
    items = store_agenda.agenda_items(session, week=week_of(now, config.tz))
    entries = [Entry(case, i.reasons.split(",")) for i in items
               if (case := session.get(Case, i.case_id)) is not None and case.status in cases.ACTIVE]

    def render(mine: list[Entry]) -> str:
        lines = [texts.AGENDA_OUTCOME_ITEM.format(case=e.case.id, type=_type(e.case), grid=_grid_name(session, e.case))
                 for e in mine]
        return "\n".join([texts.AGENDA_OUTCOME_HEADER, *lines, texts.AGENDA_OUTCOME_FOOTER])
    return _send_each(session, entries, run_key=run_key, now=now, kind="agenda", render=render)


def _send_each(session: Session, entries: list[Entry], *, run_key: str, now: datetime, kind: str,
               render: Any) -> int:
    by_person: dict[str, list[Entry]] = {}
    for entry in entries:
        for person_id in concerned(session, entry.case):
            by_person.setdefault(person_id, []).append(entry)
    count = 0
    for person_id, mine in by_person.items():
        person = session.get(Person, person_id)
        if person is None:
            continue
        channel, chat_id = people.direct_address(person)
        outbox.enqueue(session, now=now, idempotency_key=f"{run_key}:{person.id}", channel=channel,
                       chat_id=chat_id, text=render(mine), is_direct=True, kind=kind)
        count += 1
    return count


def draft_for(session: Session, *, config: Any, person: Person, now: datetime, limit: int = LISTED) -> str:
    """The agenda as it would be compiled now, limited to what this person is concerned with (its first ``limit``
    items; the header counts them all)."""
    visible = None if person.role == Role.ADMIN else store_agenda.concerning(person.id)
    entries = compile_agenda(session, config=config, now=now, visible=visible, limit=limit)
    if not entries:
        return texts.AGENDA_EMPTY
    total = len(entries) if len(entries) < limit else count_agenda(session, config=config, now=now, visible=visible)
    header = texts.AGENDA_DRAFT_HEADER.format(time=now.astimezone(config.tz).strftime("%m-%d %H:%M"),
                                 date=week_of(now, config.tz), n=total)
    text = header + "\n" + render_entries(session, entries, config=config, now=now)
    return text + ("\n\n" + texts.AGENDA_MORE.format(n=total - len(entries)) if total > len(entries) else "")


def render_entries(session: Session, entries: list[Entry], *, config: Any, now: datetime) -> str:
    """Entries in sections per (grid, mediator), sections in order of their most pressing item."""
    sections: dict[tuple[str | None, str | None], list[tuple[int, Entry]]] = {}
    for no, entry in enumerate(entries, start=1):
        sections.setdefault((entry.case.grid_id, entry.case.mediator_id), []).append((no, entry))
    blocks = []
    for (_, mediator_id), items in sections.items():
        lines = [texts.AGENDA_SECTION.format(grid=_grid_name(session, items[0][1].case), mediator=_name(session, mediator_id))]
        lines += [_item(session, no, e, config=config, now=now) for no, e in items]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _item(session: Session, no: int, entry: Entry, *, config: Any, now: datetime) -> str:
    case = entry.case
    flags = "、".join(texts.AGENDA_REASON_NAMES[r] for r in entry.reasons if r in texts.AGENDA_REASON_NAMES)
    reporter = session.get(Person, case.reporter_id) if case.reporter_id else None
    text = mask_personal(case.text)
    days = max((now - case.created_at).days, 0)
    age = texts.AGENDA_AGE_DAYS.format(days=days) if days else texts.AGENDA_AGE_TODAY
    line = texts.AGENDA_ITEM.format(no=no, case=case.id, type=_type(case), age=age,
                       flags=f"〔{flags}〕" if flags else "", party=short_name(reporter.name if reporter else ""),
                       text=text if len(text) <= 60 else text[:60] + "…")
    events = cases.recent_events(session, case_id=case.id, limit=config.friday.history_events)
    if events:
        line += "\n" + texts.AGENDA_HISTORY.format(events="；".join(_event(e, config.tz) for e in events))
    return line


def _event(event: Any, tz: Any) -> str:
    detail = mask_personal(event.detail)[:30] if event.action not in ("opened", "assigned") else ""
    name = texts.EVENT_NAMES.get(event.action, texts.EVENT_NAMES["note"])
    return f"{event.at.astimezone(tz):%m-%d} {name}" + (f"（{detail}）" if detail else "")


def short_name(name: str) -> str:
    """张三丰 → 张**: the family name only, as in a notice on a board."""
    name = name.strip()
    return f"{name[0]}**" if name else "—"


def _type(case: Case) -> str:
    return texts.SUBTYPE_NAMES[case.subtype or "other"]


def _grid_name(session: Session, case: Case) -> str:
    grid = session.get(Grid, case.grid_id) if case.grid_id else None
    return grid.name if grid else texts.UNGRIDDED


def _name(session: Session, person_id: str | None) -> str:
    person = session.get(Person, person_id) if person_id else None
    return person.name if person else texts.NOBODY

