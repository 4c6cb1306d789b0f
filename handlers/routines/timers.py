"""Time-driven case work, run by the scheduler every minute: help escalation, follow-up visits, check-ins of
residents who live alone, late dissuasion tasks, the result of each broadcast to its drafter."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from handlers.households.dissuasion import escalate_late
from handlers.routines.broadcast_reports import report_broadcasts
from handlers.routines.checkins import run_checkins
from handlers.routines.followup import expire_surveys, send_surveys
from handlers.routines.help_escalation import escalate_unacknowledged


def run_timers(session: Session, *, config: Any, now: datetime) -> int:
    """Do whatever case work has come due by ``now``; returns how many things it did. Idempotent:
    each step changes the state it selects on (an event, a survey row, a survey's state)."""
    done = escalate_unacknowledged(session, config=config, now=now)
    done += send_surveys(session, config=config, now=now)
    done += expire_surveys(session, config=config, now=now)
    done += run_checkins(session, config=config, now=now)
    done += escalate_late(session, config=config, now=now)
    done += report_broadcasts(session, config=config, now=now)
    return done
