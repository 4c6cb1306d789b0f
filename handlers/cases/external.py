"""Cases that other systems report through the case API (a hotline, a city platform): who may, where the case
goes (the grid's officer, the dispute's mediator) and what is audited."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from handlers import scope, texts
from handlers.cases import flow
from handlers.roles import STAFF
from storage import roster
from storage.models import AuditEntry, Case, Grid, Kind, Person, Role

SUBTYPES = tuple(texts.SUBTYPE_NAMES)
SCAM_TYPES = tuple(texts.SCAM_TYPE_NAMES)


class Refused(Exception):
    """The request cannot be done; ``http_status`` is the HTTP status that says why (400, 403)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.http_status = status


def create_case(session: Session, *, actor: Person, body: dict[str, Any], now: datetime) -> Case:
    """A new case from a caller's JSON: ``kind``, ``grid_id``, ``text`` and optionally ``subtype``, ``scam_type``,
    ``urgent``. It is routed as a resident's report would be, and must fall in the caller's scope."""
    if actor.role not in STAFF or actor.role == Role.MEDIATOR:
        raise Refused(403, "only officers, admins and grid workers may create cases (a mediator is given them)")
    kind, grid_id, text = body.get("kind"), body.get("grid_id"), body.get("text")
    if kind not in tuple(Kind):
        raise Refused(400, f"kind must be one of {', '.join(Kind)}")
    if not isinstance(text, str) or not text.strip() or len(text) > 4000:
        raise Refused(400, "text must be a non-empty string of at most 4000 characters")
    grid = session.get(Grid, grid_id) if isinstance(grid_id, str) else None
    if grid is None:
        raise Refused(400, f"unknown grid_id {grid_id!r}")
    subtype, scam_type = body.get("subtype"), body.get("scam_type")
    if kind == "dispute" and subtype not in SUBTYPES:
        raise Refused(400, f"a dispute needs subtype, one of {', '.join(SUBTYPES)}")
    if kind == "fraud" and scam_type is not None and scam_type not in SCAM_TYPES:
        raise Refused(400, f"scam_type must be one of {', '.join(SCAM_TYPES)}")
    probe = Case(kind=kind, grid_id=grid.id, assignee_id=grid.officer_id, created_at=now, updated_at=now)
    if not scope.may_act_on(session, actor, probe):
        raise Refused(403, f"grid {grid.id} is outside this token's grids")
    community = roster.community_of(session, grid_id=grid.id)
    mediator = roster.mediator_id(session, community_id=community.id if community else None, subtype=subtype or "other") \
        if kind == "dispute" else None
    case = flow.open_case(session, now=now, actor_id=actor.id, kind=kind, subtype=subtype if kind == "dispute" else None,
                          scam_type=scam_type if kind == "fraud" else None, grid_id=grid.id,
                          assignee_id=grid.officer_id, mediator_id=mediator, text=text.strip(),
                          urgent=bool(body.get("urgent")) or kind == "help")
    return case


def audit(session: Session, *, actor_id: str, now: datetime, what: str) -> None:
    """Every write through the API leaves one audit row (the case's own events record the change itself)."""
    session.add(AuditEntry(at=now, actor_id=actor_id, action="api_write", detail=what[:4000]))
