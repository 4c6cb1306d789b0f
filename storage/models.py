"""Every table, in one place. Query functions live in storage/<table>.py; none of them commit."""
from __future__ import annotations

from datetime import datetime, timezone
from enum import StrEnum
from typing import Any, Optional

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlalchemy.types import DateTime, TypeDecorator
from sqlmodel import Field, SQLModel


class Kind(StrEnum):
    """What a case is about."""

    INQUIRY = "inquiry"
    DISPUTE = "dispute"
    FRAUD = "fraud"
    HELP = "help"


class Status(StrEnum):
    """Where a case stands; only handlers/cases/flow.py moves it."""

    OPEN = "open"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


ACTIVE_STATUSES = (Status.OPEN, Status.ASSIGNED, Status.IN_PROGRESS)  # a case still being worked on
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED)


class Role(StrEnum):
    RESIDENT = "resident"
    GRID_WORKER = "grid_worker"
    OFFICER = "officer"
    MEDIATOR = "mediator"
    ADMIN = "admin"


class Scope(StrEnum):
    """Where a member of staff may act: the cases of their own grids, or every grid of the station."""

    GRID = "grid"
    STATION = "station"


class Level(StrEnum):
    """Where a case is handled: 小事不出网格、大事不出社区."""

    GRID = "grid"
    COMMUNITY = "community"
    STATION = "station"


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC; refuses naive input so no local time sneaks in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def _when(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class Station(SQLModel, table=True):
    """A police station (派出所): its counter details for residents and its duty officer."""

    id: str = Field(primary_key=True)
    name: str
    address: str = ""
    hours: str = ""
    phone: str = ""
    duty_officer_id: Optional[str] = None
    from_config: bool = False


class Community(SQLModel, table=True):
    """A community (社区) under one station; its people's mediation committee mediator for escalations."""

    id: str = Field(primary_key=True)
    name: str
    station_id: str = Field(foreign_key="station.id", index=True)
    mediator_id: Optional[str] = None
    from_config: bool = False


class Mediator(SQLModel, table=True):
    """Who mediates which dispute subtype in a community."""

    community_id: str = Field(foreign_key="community.id", primary_key=True)
    subtype: str = Field(primary_key=True)
    person_id: str


class Grid(SQLModel, table=True):
    id: str = Field(primary_key=True)
    name: str
    officer_id: str
    community_id: Optional[str] = Field(default=None, foreign_key="community.id", index=True)
    buildings: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    level: str = "grid"
    from_config: bool = False


class GridMember(SQLModel, table=True):
    """A member of a grid's staff: its officer(s) and grid workers."""

    grid_id: str = Field(foreign_key="grid.id", primary_key=True)
    person_id: str = Field(foreign_key="person.id", primary_key=True, index=True)
    duty: str = "worker"  # officer, worker


class ChatGroup(SQLModel, table=True):
    """A chat on some channel; bound to a grid, or waiting for an officer's /bind."""

    __table_args__ = (UniqueConstraint("channel", "chat_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    channel: str
    chat_id: str
    grid_id: Optional[str] = Field(default=None, foreign_key="grid.id")
    name: str = ""
    webhook_key: str = ""
    tags: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))  # 商铺…: broadcast targets
    from_config: bool = False
    bound_by: Optional[str] = None
    bound_at: Optional[datetime] = _when(default=None)


class Person(SQLModel, table=True):
    id: str = Field(primary_key=True)
    name: str
    role: str  # resident, grid_worker, officer, mediator, admin
    title: str = ""
    phone: str = ""
    grid_id: Optional[str] = Field(default=None, foreign_key="grid.id")  # a resident's home grid
    scope: str = "grid"  # Scope: staff act on their own grids' cases, or on the whole station's
    # Where direct messages to this person go (their first account on a channel that can send them);
    # None: the sandbox, by the person's own id.
    dm_channel: Optional[str] = None
    dm_chat_id: Optional[str] = None
    from_config: bool = False


class Account(SQLModel, table=True):
    """A person's id in one account family: a WeCom userid (app and AI bot), an OA openid, a bridge talker."""

    family: str = Field(primary_key=True)
    external_id: str = Field(primary_key=True)
    person_id: str = Field(foreign_key="person.id", index=True)


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


# --- case work beyond the case itself ---


class Survey(SQLModel, table=True):
    """A follow-up visit (回访) asked of a dispute's reporter in a direct chat.

    ``state``: ``asked`` (waiting for an answer until ``expires_at``), ``answered``, ``expired``
    (nobody answered: a visit task was made). One survey per resolution of a case.
    """

    __table_args__ = (UniqueConstraint("case_id", "resolved_at"), Index("ix_survey_state", "state", "expires_at"))
    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    person_id: str = Field(index=True)
    resolved_at: datetime = _when()  # which resolution this survey is about
    state: str = "asked"
    asked_at: datetime = _when()
    expires_at: datetime = _when()
    answered_at: Optional[datetime] = _when(default=None)
    answer: str = ""
    satisfaction: Optional[str] = None  # satisfied, basic, unsatisfied


class VisitTask(SQLModel, table=True):
    """A home visit for a grid worker when a resident did not answer the follow-up survey."""

    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    survey_id: Optional[int] = Field(default=None, foreign_key="survey.id")
    worker_id: Optional[str] = None
    created_at: datetime = _when()
    status: str = "open"  # open, done


class Broadcast(SQLModel, table=True):
    """An officer's warning to many groups: drafted with a preview, sent on /confirm."""

    id: Optional[int] = Field(default=None, primary_key=True)
    actor_id: str
    targets: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # grid ids, or ["all"]
    text: str
    status: str = "draft"  # draft, sent
    created_at: datetime = _when()
    confirmed_by: Optional[str] = None
    confirmed_at: Optional[datetime] = _when(default=None)


class BroadcastDelivery(SQLModel, table=True):
    """One group's copy of a broadcast, linked to the outbox row that carries it."""

    __table_args__ = (UniqueConstraint("broadcast_id", "group_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    broadcast_id: int = Field(foreign_key="broadcast.id", index=True)
    group_id: int = Field(foreign_key="chatgroup.id")
    outbox_id: Optional[int] = None
    created_at: datetime = _when()


# --- scheduled work ---


class JobRun(SQLModel, table=True):
    """One fire of one scheduled job. The unique (job_id, scheduled_for) makes every fire happen once.

    ``status``: ``done`` (ran and wrote its messages in the same transaction), ``skipped`` (missed
    beyond the grace), ``baseline`` (the first time a scheduler saw the job: fires before it are not owed).
    """

    __table_args__ = (UniqueConstraint("job_id", "scheduled_for"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    job_id: str = Field(index=True)
    scheduled_for: datetime = _when()
    ran_at: datetime = _when()
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
    sent_at: datetime = _when()


class AgendaItem(SQLModel, table=True):
    """A case on one Friday's agenda (周五工作法). ``week`` is that Friday's local date, e.g. 2026-11-06."""

    __table_args__ = (UniqueConstraint("week", "case_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    week: str = Field(index=True)
    case_id: int = Field(foreign_key="case.id")
    position: int
    reasons: str = ""  # comma-separated: urgent, escalated, reopened, hard, old, carried
    created_at: datetime = _when()


# --- the officers' console, the case API and the mediation papers ---


class Credential(SQLModel, table=True):
    """A person's console password, as a scrypt hash (``scrypt$n$r$p$salt$hash``), never the password."""

    person_id: str = Field(foreign_key="person.id", primary_key=True)
    password_hash: str
    updated_at: datetime = _when()


class WebSession(SQLModel, table=True):
    """A signed-in console session. ``id`` is the SHA-256 of the cookie's secret; ``csrf`` guards its forms."""

    __table_args__ = (Index("ix_websession_expiry", "expires_at"),)
    id: str = Field(primary_key=True)
    person_id: str = Field(foreign_key="person.id", index=True)
    csrf: str
    created_at: datetime = _when()
    expires_at: datetime = _when()


class ApiToken(SQLModel, table=True):
    """A caller of the case API: one token per person, stored as its SHA-256; the person's role scopes it."""

    id: Optional[int] = Field(default=None, primary_key=True)
    person_id: str = Field(foreign_key="person.id", index=True)
    token_hash: str = Field(unique=True)
    label: str = ""
    created_at: datetime = _when()
    last_used_at: Optional[datetime] = _when(default=None)
    revoked_at: Optional[datetime] = _when(default=None)


class MediationConsent(SQLModel, table=True):
    """One party's consent to people's mediation (人民调解), recorded before the case goes on the agenda."""

    __table_args__ = (UniqueConstraint("case_id", "party"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    party: str  # applicant, respondent
    name: str
    phone: str = ""
    recorded_by: str
    consented_at: datetime = _when()


class CaseDocument(SQLModel, table=True):
    """A paper generated for a case (申请书, 告知书, 协议书) as a DOCX file; ``shared``: the parties are masked."""

    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    kind: str  # application, notice, agreement
    shared: bool = False
    filename: str
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_by: str
    created_at: datetime = _when()


METADATA = SQLModel.metadata  # every table above; what migrations and tests build the schema from
