"""The daily digest (每日简报) to each officer: new, overdue, follow-ups due, fraud, undelivered, skipped."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Sequence

from sqlmodel import Session

from handlers import texts
from handlers.faq import candidates
from handlers.households import digest as households_digest
from handlers.privacy import mask_personal
from storage import audit, cases, inbox, outbox, people, roster, visits
from storage.listing import Page
from storage.models import Case, Grid, Person, Role

MAX_LINES = 10


def send_digests(session: Session, *, config: Any, schedule: Any, run_key: str, since: datetime,
                 now: datetime) -> int:
    """One digest per officer of the target grids, as a direct message. Returns how many."""
    by_officer: dict[str, list[str]] = {}
    for grid_id in roster.grid_ids(session, targets=schedule.targets):
        by_officer.setdefault(session.get(Grid, grid_id).officer_id, []).append(grid_id)
    shared = _shared_sections(session, since=since)
    count = 0
    for officer_id, grid_ids in by_officer.items():
        officer = session.get(Person, officer_id)
        if officer is None:
            continue
        text = compose(session, config=config, schedule=schedule, officer=officer, grid_ids=grid_ids,
                       since=since, now=now, shared=shared)
        channel, chat_id = people.direct_address(officer)
        outbox.enqueue(session, now=now, idempotency_key=f"{run_key}:{officer.id}", channel=channel,
                       chat_id=chat_id, text=text, is_direct=True, kind="digest")
        count += 1
    return count + _parked_digests(session, config=config, run_key=run_key, now=now)


def _parked_digests(session: Session, *, config: Any, run_key: str, now: datetime) -> int:
    """To each admin, when messages are parked: which, so that someone re-runs them once the fault is fixed."""
    parked = inbox.parked_messages(session, limit=MAX_LINES)
    if not parked:
        return 0
    tz = config.tz
    lines = [texts.DIGEST_PARKED_LINE.format(id=m.id, chat=m.chat_id, attempts=m.attempts, text=_short(m.text, 24),
                                             time=m.received_at.astimezone(tz).strftime("%m-%d %H:%M"))
             for m in parked]
    total = inbox.count_parked(session)
    if total > len(lines):
        lines.append(texts.DIGEST_MORE_PARKED.format(n=total - len(lines)))
    text = "\n\n".join([texts.DIGEST_PARKED_HEADER.format(date=now.astimezone(tz).strftime("%Y-%m-%d")),
                         "\n".join([texts.DIGEST_SECTION.format(title=texts.DIGEST_PARKED, n=total), *lines])])
    admins = people.people_with_role(session, role=Role.ADMIN)
    for admin in admins:
        channel, chat_id = people.direct_address(admin)
        outbox.enqueue(session, now=now, idempotency_key=f"{run_key}:{admin.id}:parked", channel=channel,
                       chat_id=chat_id, text=text, is_direct=True, kind="digest")
    return len(admins)


def compose(session: Session, *, config: Any, schedule: Any, officer: Person, grid_ids: list[str],
            since: datetime, now: datetime, shared: list[str]) -> str:
    names = "、".join(g.name for g in (session.get(Grid, i) for i in grid_ids) if g is not None)
    overdue_before = now - timedelta(days=schedule.overdue_days)
    followup_before = now - timedelta(days=config.timers.followup_days)
    sections = [
        texts.DIGEST_HEADER.format(date=now.astimezone(config.tz).strftime("%Y-%m-%d"), officer=officer.name,
                      grids=texts.DIGEST_GRIDS.format(names=names) if names else ""),
        _cases(texts.DIGEST_NEW, cases.cases_created(session, since=since, until=now, grid_ids=grid_ids,
                                                    limit=MAX_LINES)),
        _cases(texts.DIGEST_OVERDUE.format(days=schedule.overdue_days),
               cases.open_cases_older_than(session, before=overdue_before, grid_ids=grid_ids, limit=MAX_LINES)),
        _followups(session, resolved_before=followup_before, grid_ids=grid_ids),
        _cases(texts.DIGEST_FRAUD, cases.cases_created(session, since=now - timedelta(days=1), until=now,
                                                     grid_ids=grid_ids, kind="fraud", limit=MAX_LINES)),
        *shared,
        *households_digest.sections(session, config=config, officer=officer, grid_ids=grid_ids, since=since, now=now),
    ]
    faq_lines = candidates.suggestions(session, grid_ids=grid_ids, since=since, now=now)
    if faq_lines:  # only when there is something to suggest
        sections.append(_section(texts.DIGEST_FAQ, faq_lines))
    return "\n\n".join(sections)


def _followups(session: Session, *, resolved_before: datetime, grid_ids: list[str]) -> str:
    """Open home-visit tasks first, then disputes resolved long enough ago that a 回访 is due (and no task yet)."""
    tasks = visits.open_visit_tasks(session, grid_ids=grid_ids, limit=MAX_LINES)
    resolved = cases.resolved_awaiting_followup(session, resolved_before=resolved_before, grid_ids=grid_ids,
                                                limit=max(MAX_LINES - len(tasks.rows), 1))
    lines = [texts.DIGEST_VISIT_LINE.format(case=c.id, text=_short(c.text, 30)) for c in tasks.rows]
    return _section(texts.DIGEST_FOLLOWUP, lines + _case_lines(resolved.rows), total=tasks.total + resolved.total)


def _shared_sections(session: Session, *, since: datetime) -> list[str]:
    """Sections every officer sees: undelivered messages, and scheduled runs that were skipped."""
    failed = outbox.failed_since(session, since=since, limit=MAX_LINES + 1)
    lines = [texts.DIGEST_FAILED_LINE.format(chat=row.chat_id, kind=texts.OUTBOX_KIND_NAMES.get(row.kind, row.kind),
                                             text=_short(row.text, 24)) for row in failed]
    skipped = [texts.DIGEST_SKIPPED_LINE.format(detail=entry.detail)
               for entry in audit.audit_since(session, action="schedule_skipped", since=since)]
    return [_section(texts.DIGEST_FAILED, lines), _section(texts.DIGEST_SKIPPED, skipped)]


def _cases(title: str, page: Page) -> str:
    return _section(title, _case_lines(page.rows), total=page.total)


def _case_lines(cases: Sequence[Case]) -> list[str]:
    return [texts.DIGEST_CASE_LINE.format(case=c.id, kind=texts.KIND_NAMES[c.kind],
                                   status=texts.STATUS_NAMES[c.status], text=_short(c.text, 30)) for c in cases]


def _section(title: str, lines: list[str], total: int | None = None) -> str:
    """A titled list of at most MAX_LINES lines; ``total`` (default: the lines given) is how many there are."""
    total = len(lines) if total is None else total
    if not total:
        return texts.DIGEST_EMPTY.format(title=title)
    head = texts.DIGEST_SECTION.format(title=title, n=total)
    shown = lines[:MAX_LINES]
    if total > len(shown):
        shown.append(texts.DIGEST_MORE.format(n=total - len(shown)))
    return "\n".join([head, *shown])


def _short(text: str, limit: int) -> str:
    text = mask_personal(text.replace("\n", " "))
    return text if len(text) <= limit else text[:limit] + "…"
