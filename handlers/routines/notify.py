"""Messages written by timers (no inbound message to answer): a direct message with a stable key,
and a plain view of the session for the case cards."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from storage import outbox, people
from storage.models import Person


@dataclass
class View:
    """What ``handlers.cases.view`` needs from a Context, for code that has no message."""

    session: Session
    config: Any

    def person(self, person_id: str | None) -> Person | None:
        return self.session.get(Person, person_id) if person_id else None


def tell(session: Session, *, now: datetime, person: Person | None, text: str, key: str, kind: str = "alert",
         case_id: int | None = None) -> None:
    """A direct message to one person; ``key`` makes it once-only (it is the outbox idempotency key)."""
    if person is None:
        return
    channel, chat_id = people.direct_address(person)
    outbox.enqueue(session, now=now, idempotency_key=f"{key}-{person.id}", channel=channel, chat_id=chat_id,
                   text=text, is_direct=True, kind=kind, case_id=case_id)
