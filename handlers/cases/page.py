"""What the console's case page shows, in Chinese, decided here: the header, the timeline, the original
messages, linked reports, the papers, and which actions the reader may take now. Personal data (phones, ID
numbers) is shown raw only to the police of the case's grid; everyone else reads it masked."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from handlers import scope, texts
from handlers.cases import flow as case_flow
from handlers.cases.view import event_line, type_name
from handlers.privacy import mask_name, mask_personal
from handlers.router import Routes
from storage import cases, messages, papers
from storage.models import Case, ChatGroup, Grid, Person, Role

# console action → (command, state-machine move that must be allowed, needs a text)
ACTIONS: dict[str, tuple[str, str | None, bool]] = {
    "take": ("take", "take", False), "assign": ("assign", "assign", False), "note": ("note", None, True),
    "reply": ("reply", None, True), "resolve": ("resolve", "resolve", True), "close": ("close", "close", True),
    "reopen": ("reopen", "reopen", True), "escalate": ("escalate", "escalate", True), "hard": ("hard", "hard", False),
}


def shows_raw(session: Session, person: Person, case: Case) -> bool:
    """The police of the case's grid (and station-wide officers) read phones and ID numbers as written."""
    if person.role != Role.OFFICER:
        return False
    return scope.station_wide(person) or (case.grid_id is not None and case.grid_id in scope.grids_of(session, person))


@dataclass
class View:
    """What handlers.cases.view needs of a Context."""

    session: Session
    config: Any

    def person(self, person_id: str | None) -> Person | None:
        return self.session.get(Person, person_id) if person_id else None


@dataclass
class CasePage:
    case: Case
    title: str
    facts: list[tuple[str, str]]
    text: str
    timeline: list[str]
    originals: list[tuple[str, str, str]]  # (time, who, text)
    linked: list[tuple[int, str, str]]  # (id, type, status)
    papers: list[tuple[int, str, str, str]]  # (id, name, file, time)
    consents: dict[str, tuple[str, str]]  # party → (name, time)
    actions: list[str] = field(default_factory=list)


def case_page(session: Session, *, config: Any, person: Person, case: Case, routes: Routes) -> CasePage:
    view = View(session, config)
    raw = shows_raw(session, person, case)
    show = (lambda t: t) if raw else mask_personal
    grid = session.get(Grid, case.grid_id) if case.grid_id else None
    group = session.get(ChatGroup, case.group_id) if case.group_id else None
    reporter = view.person(case.reporter_id)
    tz = config.tz
    facts = [("类型", texts.type_label(case.kind, case.subtype, case.scam_type)),
             ("状态", texts.STATUS_NAMES[case.status] + ("（疑难）" if case.hard else "")),
             ("层级", texts.LEVEL_NAMES.get(case.level, case.level)), ("网格", grid.name if grid else texts.UNGRIDDED),
             ("群", (group.name or group.chat_id) if group else texts.DIRECT_CHAT_NAME),
             ("负责人", _name(view, case.assignee_id)), ("调解员", _name(view, case.mediator_id)),
             ("反映人", reporter.name if reporter else texts.NOBODY),
             ("电话", show(reporter.phone) if reporter and reporter.phone else texts.PHONE_UNKNOWN),
             ("登记时间", _local(case.created_at, tz)), ("处理结果", show(case.outcome or "") or texts.EMPTY_VALUE),
             ("回访", texts.SATISFACTION_NAMES.get(case.satisfaction or "", texts.EMPTY_VALUE))]
    timeline = [event_line(view, e) for e in cases.case_events(session, case_id=case.id)]
    originals = [(_local(m.sent_at, tz), _name(view, m.sender_id) if view.person(m.sender_id) else m.sender_id,
                  show(m.text) if m.text else texts.PURGED_TEXT)
                 for m in messages.messages_of_case(session, case_id=case.id)]
    linked = [(c.id, type_name(c), texts.STATUS_NAMES[c.status]) for c in messages.linked_cases(session, case=case)]
    docs = [(i, texts.PAPER_NAMES[kind] + ("（共享版）" if shared else ""), name, _local(at, tz))
            for i, kind, shared, name, at in papers.documents_of(session, case_id=case.id)]
    consents = {c.party: (c.name if raw else mask_name(c.name), _local(c.consented_at, tz))
                for c in papers.consents(session, case_id=case.id)}
    page = CasePage(case, f"{case.id}号 {type_name(case)}", facts, show(case.text), timeline, originals, linked,
                    docs, consents)
    page.actions = allowed_actions(person, case, routes)
    return page


def allowed_actions(person: Person, case: Case, routes: Routes) -> list[str]:
    """The actions the reader's role may take on the case in its current status."""
    found = []
    for name, (command, move, _) in ACTIONS.items():
        cmd = routes.resolve(command)
        if cmd and person.role in cmd.roles and (move is None or case_flow.refusal(case, move) is None):
            found.append(name)
    if person.role in (Role.OFFICER, Role.ADMIN) and case_flow.refusal(case, "wrong") is None:
        found.append("wrong")
    return found


def _name(view: View, person_id: str | None) -> str:
    if person_id in texts.SYSTEM_ACTORS:
        return texts.SYSTEM_ACTORS[person_id]
    person = view.person(person_id)
    return person.name if person else texts.NOBODY


def _local(when: datetime | None, tz: Any) -> str:
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M") if when else ""
