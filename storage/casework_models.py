"""Tables for case work beyond the case itself (follow-up surveys, visit tasks, broadcasts)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class Survey(SQLModel, table=True):
    """A follow-up visit (回访) asked of a dispute's reporter in a direct chat.

    ``state``: ``asked`` (waiting for an answer until ``expires_at``), ``answered``, ``expired``
    (nobody answered: a visit task was made). One survey per resolution of a case.
    """

    __table_args__ = (UniqueConstraint("case_id", "resolved_at"), Index("ix_survey_state", "state", "expires_at"))
    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    person_id: str = Field(index=True)
    resolved_at: datetime = Field(sa_type=UTCDateTime)  # which resolution this survey is about
    state: str = "asked"
    asked_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    answered_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    answer: str = ""
    satisfaction: Optional[str] = None  # satisfied, basic, unsatisfied


class VisitTask(SQLModel, table=True):
    """A home visit for a grid worker when a resident did not answer the follow-up survey."""

    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    survey_id: Optional[int] = Field(default=None, foreign_key="survey.id")
    worker_id: Optional[str] = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    status: str = "open"  # open, done


class Broadcast(SQLModel, table=True):
    """An officer's warning to many groups: drafted with a preview, sent on /confirm."""

    id: Optional[int] = Field(default=None, primary_key=True)
    actor_id: str
    targets: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # grid ids, or ["all"]
    text: str
    status: str = "draft"  # draft, sent
    created_at: datetime = Field(sa_type=UTCDateTime)
    confirmed_by: Optional[str] = None
    confirmed_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)


class BroadcastDelivery(SQLModel, table=True):
    """One group's copy of a broadcast, linked to the outbox row that carries it."""

    __table_args__ = (UniqueConstraint("broadcast_id", "group_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    broadcast_id: int = Field(foreign_key="broadcast.id", index=True)
    group_id: int = Field(foreign_key="chatgroup.id")
    outbox_id: Optional[int] = None
    created_at: datetime = Field(sa_type=UTCDateTime)
