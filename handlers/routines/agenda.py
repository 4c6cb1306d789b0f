"""周五工作法: the Friday agenda of hard disputes, per grid and mediator, and the call for outcomes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from handlers.nlu.entities import mask_personal
from storage import agenda as store_agenda
from storage import cases, outbox, people
from storage.models import Case, Grid, Person

HARD_EVENTS = ("reopened", "escalated")
REASON_NAMES = {"carried": "上周遗留", "urgent": "紧急", "escalated": "已升级", "reopened": "重新打开",
                "hard": "民警标记疑难", "old": "久拖未决"}
ACTION_NAMES = {"opened": "立案", "assigned": "指派", "acknowledged": "受理", "replied": "回复居民",
                "escalated": "升级", "reopened": "重新打开", "resolved": "化解", "closed": "结案", "note": "备注",
                "noted": "备注", "marked_hard": "标记疑难"}
SUBTYPE_NAMES = {"noise": "噪音扰民", "neighbor": "邻里纠纷", "family": "家庭纠纷", "economic": "经济纠纷",
                 "property": "物业纠纷", "landlord_tenant": "租赁纠纷", "other": "其他纠纷"}
AGENDA_HEADER = "【周五工作法·疑难纠纷议程】{date}\n以下{n}件纠纷建议本周集中研判调解（按建议顺序）："
DRAFT_HEADER = "【议程草稿】截至{time}，{date}周五议程将包括以下{n}件："
NO_ITEMS = "目前没有需要上周五议程的疑难纠纷。"
SECTION = "■ {grid}｜调解员：{mediator}"
ITEM = "{no}. {case}号 {type} 已{days}天{flags}\n   当事人：{party}\n   反映：{text}"
HISTORY = "   经过：{events}"
OUTCOME_HEADER = "【周五工作法·结果反馈】今天议程上的以下纠纷还没有结果，请逐件反馈："
OUTCOME_ITEM = "· {case}号 {type}（{grid}）：/resolve {case} 化解结果 或 /note {case} 进展"
OUTCOME_FOOTER = "已化解请回复 /resolve 编号 化解结果；仍在调解请回复 /note 编号 进展情况。未化解的将列入下周五议程（标注“上周遗留”）。"


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


def compile_agenda(session: Session, *, config: Any, now: datetime) -> list[Entry]:
    """Unresolved disputes that are hard this week, in suggested order (urgent, escalated, reopened, age)."""
    previous = store_agenda.latest_agenda_week(session, before=week_of(now, config.tz))
    carried = {i.case_id for i in store_agenda.agenda_items(session, week=previous)} if previous else set()
    disputes = cases.unresolved_disputes(session)
    flagged = cases.cases_with_events(session, case_ids=[c.id for c in disputes], actions=HARD_EVENTS)
    too_old = now - timedelta(days=config.friday.hard_after_days)
    entries = []
    for case in disputes:
        marks = {"carried": case.id in carried, "escalated": "escalated" in flagged.get(case.id, ()),
                 "reopened": "reopened" in flagged.get(case.id, ()), "hard": case.hard,
                 "old": case.created_at < too_old}
        if any(marks.values()):
            reasons = (["urgent"] if case.urgent else []) + [name for name, on in marks.items() if on]
            entries.append(Entry(case, reasons))
    return sorted(entries, key=lambda e: (not e.case.urgent, "escalated" not in e.reasons,
                                          "reopened" not in e.reasons, e.case.created_at, e.case.id))


def concerned(session: Session, case: Case) -> list[str]:
    """Who gets an item: the grid's officer, the assignee, the mediator."""
    grid = session.get(Grid, case.grid_id) if case.grid_id else None
    ids = [grid.officer_id if grid else None, case.assignee_id, case.mediator_id]
    return list(dict.fromkeys(i for i in ids if i))


def sees(session: Session, person: Person, case: Case) -> bool:
    return person.role == "admin" or person.id in concerned(session, case)


def post_agenda(session: Session, *, config: Any, run_key: str, now: datetime) -> int:
    """Store this Friday's agenda and send each concerned person their part. Returns messages written."""
    week = week_of(now, config.tz)
    entries = compile_agenda(session, config=config, now=now)
    store_agenda.save_agenda(session, week=week, items=[(e.case.id, e.reason_text) for e in entries], now=now)
    return _send_each(session, entries, run_key=run_key, now=now, kind="agenda",
                      render=lambda mine: AGENDA_HEADER.format(date=week, n=len(mine)) + "\n" + render_entries(
                          session, mine, config=config, now=now))


def ask_outcomes(session: Session, *, config: Any, run_key: str, now: datetime) -> int:
    """Ask each concerned person for the outcome of this Friday's items that are still unresolved."""
    items = store_agenda.agenda_items(session, week=week_of(now, config.tz))
    entries = [Entry(case, i.reasons.split(",")) for i in items
               if (case := session.get(Case, i.case_id)) is not None and case.status in cases.ACTIVE]

    def render(mine: list[Entry]) -> str:
        lines = [OUTCOME_ITEM.format(case=e.case.id, type=_type(e.case), grid=_grid_name(session, e.case))
                 for e in mine]
        return "\n".join([OUTCOME_HEADER, *lines, OUTCOME_FOOTER])
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


def draft_for(session: Session, *, config: Any, person: Person, now: datetime) -> str:
    """The agenda as it would be compiled now, limited to what this person is concerned with."""
    entries = [e for e in compile_agenda(session, config=config, now=now) if sees(session, person, e.case)]
    if not entries:
        return NO_ITEMS
    header = DRAFT_HEADER.format(time=now.astimezone(config.tz).strftime("%m-%d %H:%M"),
                                 date=week_of(now, config.tz), n=len(entries))
    return header + "\n" + render_entries(session, entries, config=config, now=now)


def render_entries(session: Session, entries: list[Entry], *, config: Any, now: datetime) -> str:
    """Entries in sections per (grid, mediator), sections in order of their most pressing item."""
    sections: dict[tuple[str | None, str | None], list[tuple[int, Entry]]] = {}
    for no, entry in enumerate(entries, start=1):
        sections.setdefault((entry.case.grid_id, entry.case.mediator_id), []).append((no, entry))
    blocks = []
    for (_, mediator_id), items in sections.items():
        lines = [SECTION.format(grid=_grid_name(session, items[0][1].case), mediator=_name(session, mediator_id))]
        lines += [_item(session, no, e, config=config, now=now) for no, e in items]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _item(session: Session, no: int, entry: Entry, *, config: Any, now: datetime) -> str:
    case = entry.case
    flags = "、".join(REASON_NAMES[r] for r in entry.reasons if r in REASON_NAMES)
    reporter = session.get(Person, case.reporter_id) if case.reporter_id else None
    text = mask_personal(case.text)
    line = ITEM.format(no=no, case=case.id, type=_type(case), days=max((now - case.created_at).days, 0),
                       flags=f"〔{flags}〕" if flags else "", party=short_name(reporter.name if reporter else ""),
                       text=text if len(text) <= 60 else text[:60] + "…")
    events = cases.recent_events(session, case_id=case.id, limit=config.friday.history_events)
    if events:
        line += "\n" + HISTORY.format(events="；".join(_event(e, config.tz) for e in events))
    return line


def _event(event: Any, tz: Any) -> str:
    detail = mask_personal(event.detail)[:30] if event.action not in ("opened", "assigned") else ""
    name = ACTION_NAMES.get(event.action, event.action)
    return f"{event.at.astimezone(tz):%m-%d} {name}" + (f"（{detail}）" if detail else "")


def short_name(name: str) -> str:
    """张三丰 → 张**: the family name only, as in a notice on a board."""
    name = name.strip()
    return f"{name[0]}**" if name else "—"


def _type(case: Case) -> str:
    return SUBTYPE_NAMES.get(case.subtype or "other", "其他纠纷")


def _grid_name(session: Session, case: Case) -> str:
    grid = session.get(Grid, case.grid_id) if case.grid_id else None
    return grid.name if grid else "未分网格"


def _name(session: Session, person_id: str | None) -> str:
    person = session.get(Person, person_id) if person_id else None
    return person.name if person else "未指定"

