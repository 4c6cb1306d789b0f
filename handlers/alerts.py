"""The fraud alert feed and the calls for help, with how fast an officer acknowledged each (console)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from handlers import scope, texts
from handlers.privacy import mask_personal
from handlers.reports import SYSTEM_ACTORS
from storage import inbox, reports
from storage.models import Role

ACK_ACTIONS = ("acknowledged", "taken", "replied", "resolved", "closed", "marked_wrong")


@dataclass(frozen=True)
class Alert:
    id: int
    kind: str
    type: str
    grid: str
    text: str
    status: str
    opened: str
    acknowledged: str  # local time, or '' while nobody has
    minutes: int | None  # to acknowledgement
    escalations: int


def feed(session: Session, *, person: Any, kind: str, since: datetime, until: datetime, tz: Any,
         now: datetime) -> list[Alert]:
    """The person's visible cases of ``kind`` (fraud or help) opened in [since, until), newest first."""
    where = reports.case_filter(since=since, until=until, grid_ids=None, kind=kind,
                                scope=scope.visible_clause(session, person))
    acks = reports.first_events(session, where=where, actions=ACK_ACTIONS, exclude_actors=SYSTEM_ACTORS)
    escalations = reports.event_counts(session, where=where, actions=("escalated",))
    grids = reports.grid_names(session)
    found = []
    for row in reports.iter_cases(session, where=where):
        ack = acks.get(row.id)
        waited = (ack or now) - row.created_at
        found.append(Alert(row.id, row.kind, texts.type_label(row.kind, scam_type=row.scam_type),
                           grids.get(row.grid_id, texts.UNGRIDDED), mask_personal(row.text)[:80],
                           texts.STATUS_NAMES[row.status], row.created_at.astimezone(tz).strftime("%m-%d %H:%M"),
                           ack.astimezone(tz).strftime("%m-%d %H:%M") if ack else "",
                           int(waited.total_seconds() // 60), escalations.get(row.id, 0)))
    return sorted(found, key=lambda a: -a.id)



@dataclass(frozen=True)
class ParkedMessage:
    id: int
    chat: str
    received: str
    attempts: int
    text: str


PARKED_SHOWN = 20


def parked(session: Session, *, person: Any, tz: Any) -> tuple[list[ParkedMessage], int]:
    """For admins: the messages parked after their last try (masked), at most PARKED_SHOWN, and how many in all."""
    if person.role != Role.ADMIN:
        return [], 0
    rows = [ParkedMessage(m.id, m.chat_id, m.received_at.astimezone(tz).strftime("%m-%d %H:%M"), m.attempts,
                          mask_personal(m.text)[:80]) for m in inbox.parked_messages(session, limit=PARKED_SHOWN)]
    return rows, inbox.count_parked(session)
