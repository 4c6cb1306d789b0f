"""Acting on a case from outside a chat (the console, the case API): the same commands, the same role and grid
checks and the same state machine as a chat command, run as the signed-in person. What the command would have
answered in the chat is returned instead of being sent; what it tells others (the assignee, the group) is sent.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from handlers import scope
from handlers.context import Context
from handlers.message import ChannelDirectory
from handlers.router import Routes, parse_command
from storage import cases, outbox
from storage.models import Case, Message, Person


@dataclass
class ActingContext(Context):
    """A Context whose replies are kept for the caller; other messages go to the outbox under ``key``."""

    key: str = ""
    answers: list[str] = field(default_factory=list)

    def reply(self, text: str, **_: Any) -> None:
        self.answers.append(text)

    def _enqueue(self, **fields: Any) -> None:
        self._sent += 1
        outbox.enqueue(self.session, now=self.now, idempotency_key=f"{self.key}-{self._sent}", **fields)


@dataclass(frozen=True)
class Outcome:
    done: bool  # the case changed (its version moved)
    answers: list[str]


def run_command(session: Session, *, actor: Person, text: str, config: Any, now: datetime, routes: Routes,
                channels: ChannelDirectory | None, case_id: int | None = None, origin: str = "console") -> Outcome:
    """Run one command (``/take 12``) as ``actor``; ``done`` tells whether case ``case_id`` changed."""
    call = parse_command(text)
    if call is None:
        raise ValueError(f"not a command: {text!r}")
    before = _version(session, case_id)
    message = Message(channel=origin, channel_msg_id="", chat_id=actor.id, sender_id=actor.id, text=text,
                      is_direct=True, sent_at=now, received_at=now)
    ctx = ActingContext(session=session, config=config, now=now, message=message, sender=actor, group=None,
                        routes=routes, channels=channels, key=f"{origin}-{uuid.uuid4().hex}")
    routes.run_command(call, ctx)
    session.flush()
    return Outcome(done=before is not None and _version(session, case_id) != before, answers=ctx.answers)


def _version(session: Session, case_id: int | None) -> int | None:
    if case_id is None:
        return None
    case = session.get(Case, case_id)
    if case is not None:
        session.refresh(case)
    return case.version if case else None


def visible(session: Session, actor: Person, case_id: int) -> Case | None:
    """The case, if ``actor`` may see it (the grid boundaries of handlers/scope.py); None otherwise."""
    case = cases.get_case(session, case_id=case_id)
    return case if case is not None and scope.may_act_on(session, actor, case) else None
