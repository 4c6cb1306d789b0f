"""The tables. Query functions live beside them in storage/*.py; none of them commit."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _when(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class Grid(SQLModel, table=True):
    id: str = Field(primary_key=True)
    name: str
    officer_id: str
    level: str = "grid"


class ChatGroup(SQLModel, table=True):
    """A chat on some channel; bound to a grid, or waiting for an officer's /bind."""

    __table_args__ = (UniqueConstraint("channel", "chat_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    channel: str
    chat_id: str
    grid_id: Optional[str] = Field(default=None, foreign_key="grid.id")
    name: str = ""
    webhook_key: str = ""
    from_config: bool = False
    bound_by: Optional[str] = None
    bound_at: Optional[datetime] = _when(default=None)


class Person(SQLModel, table=True):
    id: str = Field(primary_key=True)
    name: str
    role: str  # resident, grid_worker, officer, mediator, admin
    title: str = ""
    phone: str = ""
    grid_id: Optional[str] = Field(default=None, foreign_key="grid.id")
    wecom_user_id: Optional[str] = Field(default=None, index=True)
    mp_openid: Optional[str] = Field(default=None, index=True)
    bridge_id: Optional[str] = Field(default=None, index=True)
    from_config: bool = False


class Message(SQLModel, table=True):
    """Every inbound message, stored before the HTTP request is answered."""

    __table_args__ = (
        UniqueConstraint("channel", "channel_msg_id"),
        Index("ix_message_pending", "handled_at", "id"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    channel: str
    channel_msg_id: str
    chat_id: str
    sender_id: str
    sender_name: Optional[str] = None
    text: str
    is_direct: bool = False
    mentions_bot: bool = False
    reply_hint: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    sent_at: datetime = _when()
    received_at: datetime = _when()
    handled_at: Optional[datetime] = _when(default=None)
    attempts: int = 0
    error: Optional[str] = None
    intent: Optional[str] = None
    label: Optional[dict] = Field(default=None, sa_column=Column(JSON))
    case_id: Optional[int] = None


class Case(SQLModel, table=True):
    __table_args__ = (Index("ix_case_grid_status", "grid_id", "status"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str  # inquiry, dispute, fraud, help
    subtype: Optional[str] = None
    scam_type: Optional[str] = None
    status: str = "open"
    urgent: bool = False
    level: str = "grid"  # grid, community, station
    hard: bool = False
    grid_id: Optional[str] = Field(default=None, foreign_key="grid.id")
    group_id: Optional[int] = Field(default=None, foreign_key="chatgroup.id")
    assignee_id: Optional[str] = None
    mediator_id: Optional[str] = None
    reporter_id: Optional[str] = None
    text: str = ""
    building: Optional[str] = None
    outcome: Optional[str] = None
    satisfaction: Optional[str] = None
    linked_to: Optional[int] = None
    created_at: datetime = _when()
    updated_at: datetime = _when()
    resolved_at: Optional[datetime] = _when(default=None)
    closed_at: Optional[datetime] = _when(default=None)
    version: int = 1


class CaseEvent(SQLModel, table=True):
    """Audit trail: who did what to which case, when, from which status to which."""

    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    at: datetime = _when()
    actor_id: str
    action: str
    from_status: Optional[str] = None
    to_status: Optional[str] = None
    detail: str = ""


class Outbox(SQLModel, table=True):
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True)
    channel: str
    chat_id: str
    is_direct: bool = False
    text: str
    mentions: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    reply_hint: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    kind: str = "reply"  # reply, alert, notice, broadcast, agenda, digest, survey
    case_id: Optional[int] = None
    status: str = "pending"  # pending, sent, failed
    attempts: int = 0
    next_attempt_at: datetime = _when()
    last_error: Optional[str] = None
    created_at: datetime = _when()
    sent_at: Optional[datetime] = _when(default=None)


class AuditEntry(SQLModel, table=True):
    """Changes that are not about one case: bindings, scam words, broadcasts, config sync."""

    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = _when()
    actor_id: str
    action: str
    detail: str = ""


class ScamWord(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    word: str = Field(unique=True)
    added_by: str
    added_at: datetime = _when()


class AccessToken(SQLModel, table=True):
    """Platform access tokens, shared by every worker process (the key holds a hash, never the secret)."""

    key: str = Field(primary_key=True)
    token: str
    expires_at: datetime = _when()
