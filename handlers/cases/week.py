"""The console's Friday agenda page (周五工作法): this week's hard disputes by mediator, with carry-over, those
still waiting for the parties' consent, and the outcomes of the past weeks' agendas."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from handlers import scope, texts
from handlers.cases.view import type_name
from handlers.privacy import mask_personal
from handlers.routines import agenda
from storage import agenda as store_agenda
from storage import papers
from storage.models import Case, Grid, Person


@dataclass(frozen=True)
class Item:
    id: int
    type: str
    grid: str
    text: str
    reasons: str
    status: str
    outcome: str


@dataclass
class Week:
    date: str
    by_mediator: dict[str, list[Item]] = field(default_factory=dict)
    awaiting_consent: list[Item] = field(default_factory=list)
    past: list[tuple[str, list[Item]]] = field(default_factory=list)  # (Friday, items with their outcome)
    more: int = 0  # hard disputes past the listed ones


def week_page(session: Session, *, config: Any, person: Person, now: datetime, past_weeks: int = 4,
              listed: int = agenda.LISTED) -> Week:
    """This week's hard disputes the person may act on (the first ``listed``; ``more`` counts the rest), and the
    past weeks' agendas with their outcomes."""
    week = Week(agenda.week_of(now, config.tz))
    visible = scope.visible_clause(session, person)
    entries = agenda.compile_agenda(session, config=config, now=now, gate=False, visible=visible, limit=listed)
    if len(entries) == listed:
        week.more = agenda.count_agenda(session, config=config, now=now, gate=False, visible=visible) - listed
    on_agenda = (papers.consented_cases(session, case_ids=[e.case.id for e in entries], parties=agenda.CONSENTING)
                 if config.friday.require_consent else {e.case.id for e in entries})
    for entry in entries:
        item = _item(session, entry.case, entry.reasons)
        if entry.case.id in on_agenda:
            week.by_mediator.setdefault(_name(session, entry.case.mediator_id), []).append(item)
        else:
            week.awaiting_consent.append(item)
    before = week.date
    for _ in range(past_weeks):
        previous = store_agenda.latest_agenda_week(session, before=before)
        if previous is None:
            break
        items = []
        for row in store_agenda.agenda_items(session, week=previous):
            case = session.get(Case, row.case_id)
            if case is not None and scope.may_act_on(session, person, case):
                items.append(_item(session, case, row.reasons.split(",")))
        week.past.append((previous, items))
        before = previous
    return week


def _item(session: Session, case: Case, reasons: list[str]) -> Item:
    grid = session.get(Grid, case.grid_id) if case.grid_id else None
    flags = "、".join(texts.AGENDA_REASON_NAMES[r] for r in reasons if r in texts.AGENDA_REASON_NAMES)
    return Item(case.id, type_name(case), grid.name if grid else texts.UNGRIDDED, mask_personal(case.text)[:60],
                flags, texts.STATUS_NAMES[case.status], mask_personal(case.outcome or ""))


def _name(session: Session, person_id: str | None) -> str:
    person = session.get(Person, person_id) if person_id else None
    return person.name if person else texts.NOBODY
