"""Tables for scheduled work (fired runs, notice rotation, agenda items)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class JobRun(SQLModel, table=True):
    """One fire of one scheduled job. The unique (job_id, scheduled_for) makes every fire happen once.

    ``status``: ``done`` (ran and wrote its messages in the same transaction), ``skipped`` (missed
    beyond the grace), ``baseline`` (the first time a scheduler saw the job: fires before it are not owed).
    """

    __table_args__ = (UniqueConstraint("job_id", "scheduled_for"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    job_id: str = Field(index=True)
    scheduled_for: datetime = Field(sa_type=UTCDateTime)
    ran_at: datetime = Field(sa_type=UTCDateTime)
    status: str = "done"
    count: int = 0  # messages written (or timer actions done)
    detail: str = ""


class NoticeRotation(SQLModel, table=True):
    """The last notice text a group got for a topic, so the next one is a different text."""

    __table_args__ = (UniqueConstraint("group_id", "topic"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="chatgroup.id")
    topic: str
    last_text_id: str
    sent_at: datetime = Field(sa_type=UTCDateTime)


class AgendaItem(SQLModel, table=True):
    """A case on one Friday's agenda (周五工作法). ``week`` is that Friday's local date, e.g. 2026-11-06."""

    __table_args__ = (UniqueConstraint("week", "case_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    week: str = Field(index=True)
    case_id: int = Field(foreign_key="case.id")
    position: int
    reasons: str = ""  # comma-separated: urgent, escalated, reopened, hard, old, carried
    created_at: datetime = Field(sa_type=UTCDateTime)
