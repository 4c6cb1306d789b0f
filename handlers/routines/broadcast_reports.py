"""After /confirm, the drafter (and an admin who confirmed it) is told in a direct chat which groups a broadcast
actually reached: once every copy is sent or failed, or after ``broadcasting.REPORT_AFTER`` with the copies still
queued named as such. The confirmation itself only says how many were queued."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from handlers import broadcasting
from handlers.routines import notify
from storage import broadcasts
from storage.models import Person


def report_broadcasts(session: Session, *, config: Any, now: datetime) -> int:
    done = 0
    for found in broadcasts.unreported(session):
        if not broadcasting.settled(session, broadcast=found, now=now):
            continue
        found.reported_at = now
        session.add(found)
        text = broadcasting.report(session, broadcast=found)
        for person_id in dict.fromkeys(i for i in (found.actor_id, found.confirmed_by) if i):
            notify.tell(session, now=now, person=session.get(Person, person_id), text=text,
                        key=f"broadcast-report-{found.id}", kind="notice")
        done += 1
    return done
