"""Time-driven case work, run by the scheduler every minute: help escalation, follow-up visits."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session


def run_timers(session: Session, *, config: Any, now: datetime) -> int:
    """Do whatever case work has come due by ``now``; returns how many things it did. Idempotent."""
    return 0
