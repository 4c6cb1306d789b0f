"""The outbox's side of an account's send budget: before each send on a budgeted account, take the account's turn
in the database, so that every process sending on it counts the same sends and keeps the same gap between two
(storage/send_turns.py). Blocking: run in the database executor."""
from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.channels.base import OutboundMessage, Throttled
from bot.channels.kit.send_budget import BULK_KINDS, SendBudget
from storage import send_turns
from storage.db import session as new_session


def is_bulk(message: OutboundMessage) -> bool:
    """A copy that waits for the budget and the gap (a broadcast, notice, agenda or digest to a group)."""
    return message.kind in BULK_KINDS and not message.is_direct


def take_turn(engine: Engine, *, budget: SendBudget, message: OutboundMessage) -> Throttled | None:
    """Count this send against the account (the message's channel), or refuse a bulk copy over the budget or
    within the gap: the refusal (BudgetSpent or Paced) is returned, and nothing is counted."""
    account, now = message.channel, budget.now()
    with send_turns.local_lock(), new_session(engine) as session:
        send_turns.lock_account(session, account=account, now=now)
        budget.load(send_turns.recent(session, account=account, now=now))
        if is_bulk(message):
            try:
                budget.check(BULK_KINDS)
            except Throttled as refused:
                session.rollback()
                return refused
        at, next_at = budget.spend()
        send_turns.record(session, account=account, at=at, next_at=next_at)
        session.commit()
    return None


def load_turns(engine: Engine, *, budget: SendBudget, account: str) -> None:
    """Show the budget the account's record (a process starting to send), so that ``spent()`` tells it."""
    with new_session(engine) as session:
        budget.load(send_turns.recent(session, account=account, now=budget.now()))
