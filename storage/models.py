"""Every table, in one place. Query functions live in storage/<table>.py; none of them commit."""
from __future__ import annotations

from datetime import date, datetime, timezone
from enum import StrEnum
from typing import Any, Optional

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint, text
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


class DutyShift(SQLModel, table=True):
    """One shift of the duty rota (排班): who covers a grid (None: every grid) at which local hours, on which
    weekdays, or on one date. From config ``[[duty]]`` or ``gridbot import duty``."""

    id: Optional[int] = Field(default=None, primary_key=True)
    grid_id: Optional[str] = Field(default=None, index=True)
    person_id: str
    weekdays: str = "1234567"  # ISO weekdays the shift starts on (1 = Monday)
    on_date: Optional[date] = None  # a one-off shift starting that day; it wins over weekly shifts
    start_minute: int = 0  # local minutes after midnight; end <= start runs past midnight
    end_minute: int = 0
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
    vulnerable: bool = False  # 重点关爱对象 (an elderly resident living alone …): their voice notes reach the officer


class Account(SQLModel, table=True):
    """A person's id in one account family: a WeCom userid (app and AI bot), an OA openid, a bridge talker."""

    family: str = Field(primary_key=True)
    external_id: str = Field(primary_key=True)
    person_id: str = Field(foreign_key="person.id", index=True)


PENDING = "handled_at IS NULL"  # the predicates of the partial indexes (literal, so SQLite's planner matches them)
LANE = "handled_at IS NULL AND priority > 0"


class Message(SQLModel, table=True):
    """Every inbound message, stored before the HTTP request is answered."""

    __table_args__ = (
        UniqueConstraint("channel", "channel_msg_id"),
        # The worker's claim (storage/claims.py): the pending messages, those of one chat, and the priority lane.
        # Partial: only pending rows, so they stay small however much history is stored, and the query planner's
        # statistics count only them.
        Index("ix_message_pending", "id", sqlite_where=text(PENDING), postgresql_where=text(PENDING)),
        Index("ix_message_sender", "channel", "chat_id", "sender_id", "received_at"),
        Index("ix_message_case", "case_id"),
        Index("ix_message_pending_chat", "channel", "chat_id", "id",
              sqlite_where=text(PENDING), postgresql_where=text(PENDING)),
        Index("ix_message_lane", "id", sqlite_where=text(LANE), postgresql_where=text(LANE)),
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
    # A failed message is due again at next_attempt_at (backoff); after its last try it is parked: parked_at set,
    # handled_at still empty, skipped by the worker until `gridbot inbox retry` puts it back.
    next_attempt_at: Optional[datetime] = _when(default=None)
    parked_at: Optional[datetime] = _when(default=None)
    intent: Optional[str] = None
    label: Optional[dict] = Field(default=None, sa_column=Column(JSON))
    case_id: Optional[int] = None
    # What was sent: text, image, voice, video, file, location, link, record (合并转发), other. ``text`` holds
    # what the bot understands of it: the typed words, a voice note's recognition, the words read from an image.
    kind: str = "text"
    # True while the message waits for its media to be fetched and read (an image's words); the worker skips
    # it meanwhile and the chat's later messages do not wait for it.
    media_pending: bool = False
    details: Optional[dict] = Field(default=None, sa_column=Column(JSON))  # a location, a link, a record's items
    # Set at intake (handlers/nlu/priority.py): 1 for a possible call for help or fraud report, taken first.
    priority: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class Case(SQLModel, table=True):
    __table_args__ = (Index("ix_case_grid_status", "grid_id", "status"),
                      Index("ix_case_reporter", "reporter_id", "kind", "status"),  # a resident's open cases
                      Index("ix_case_grid_kind_created", "grid_id", "kind", "created_at"),  # the same incident
                      Index("ix_case_group_kind_created", "group_id", "kind", "created_at"),  # one call, one group
                      Index("ix_case_assignee", "assignee_id", "status"),  # /mine
                      Index("ix_case_mediator", "mediator_id", "status"),
                      Index("ix_case_status_kind", "status", "kind"),  # the timers: the cases still in a status
                      # A period's cases (/stats, reports, exports), searched per kind: `kind IN (every kind)` lets
                      # PostgreSQL range over it (a bare created_at index tempts both planners into walking all of
                      # history for an ORDER BY created_at LIMIT of the open cases).
                      Index("ix_case_kind_created", "kind", "created_at"))
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

    # The events of a kind since a time (the digest's repeated replies, whatever the size of history).
    __table_args__ = (Index("ix_caseevent_action_at", "action", "at"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    at: datetime = _when()
    actor_id: str
    action: str
    from_status: Optional[str] = None
    to_status: Optional[str] = None
    detail: str = ""


class Outbox(SQLModel, table=True):
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),
                      Index("ix_outbox_chat", "channel", "chat_id", "created_at"),
                      Index("ix_outbox_case", "case_id"),
                      Index("ix_outbox_sent", "channel", "sent_at"))
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
    next_attempt_at: datetime = _when()  # when due; while leased, when the lease runs out
    last_error: Optional[str] = None
    created_at: datetime = _when()
    sent_at: Optional[datetime] = _when(default=None)
    lease_owner: Optional[str] = None  # the sending process's instance name (stable across its restarts)
    lease_token: Optional[str] = None  # that process's run: only the holder settles, a restart frees the old run's


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

    __table_args__ = (Index("ix_visittask_open", "status", "created_at"),)  # the open tasks, oldest first
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
    reported_at: Optional[datetime] = _when(default=None)  # when the drafter was told which groups it reached


class BroadcastDelivery(SQLModel, table=True):
    """One group's copy of a broadcast, linked to the outbox row that carries it."""

    __table_args__ = (UniqueConstraint("broadcast_id", "group_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    broadcast_id: int = Field(foreign_key="broadcast.id", index=True)
    group_id: int = Field(foreign_key="chatgroup.id")
    outbox_id: Optional[int] = None
    created_at: datetime = _when()


class DeliveryReceipt(SQLModel, table=True):
    """What became of one copy to a group (an outbox row of a notice, a warning or a broadcast): the channel that
    delivered it and when, or why not (yet). One row per outbox row: a copy is delivered once, whichever channel
    carries it. ``doubtful``: a channel on which a send ended without knowing whether it arrived (a timeout); the
    copy is then retried on that channel only, whose idempotency key covers the repeat."""

    outbox_id: int = Field(primary_key=True, foreign_key="outbox.id")
    channel: str = ""  # the channel that delivered it (the row's own, or the group's other one)
    delivered_at: Optional[datetime] = _when(default=None)
    reason: str = ""  # why not yet or not at all: budget, down, throttled, refused, unsure, gave_up
    doubtful: str = ""
    updated_at: datetime = _when()


class SendTurn(SQLModel, table=True):
    """One send on an account with a send budget (the bridge's personal-WeChat account), taken before the call by
    whichever process sends: every process counts the same turns, so the account's budget and the gap between two
    sends hold however many processes send on it (storage/send_turns.py). ``next_at``: the gap drawn after this
    send ends then. Turns older than a day are deleted as new ones are taken."""

    __table_args__ = (Index("ix_sendturn_account", "account", "at"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    account: str
    at: datetime = _when()
    next_at: datetime = _when()


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


# --- households and vulnerable residents (独居老人, 残疾, 留守儿童, 重点关注) ---


class Household(SQLModel, table=True):
    """A household (户) of a grid, as the community's own sheet lists it. Only the grid's staff see it."""

    id: str = Field(primary_key=True)  # the community's household number (户编号)
    grid_id: str = Field(foreign_key="grid.id", index=True)
    address: str
    phone: str = ""
    note: str = ""


class Resident(SQLModel, table=True):
    """A member of a household. ``flags``: alone_elderly, disabled, left_behind_child, watch. Check-ins
    (``checkin_days``: "daily" or ISO weekdays "1,3,5"; empty: none) go to ``person_id`` in a direct chat, or,
    for a resident without WeChat, to the caretaker (a grid worker or volunteer)."""

    __table_args__ = (UniqueConstraint("household_id", "name"), Index("ix_resident_next_checkin", "next_checkin_at"))
    id: Optional[int] = Field(default=None, primary_key=True)
    household_id: str = Field(foreign_key="household.id", index=True)
    name: str
    salutation: str = ""  # how the bot addresses them (王奶奶); empty: their name
    phone: str = ""
    flags: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    caretaker_id: Optional[str] = None
    person_id: Optional[str] = Field(default=None, index=True)  # their own chat identity, None: no WeChat
    checkin_days: str = ""
    checkin_time: str = ""  # HH:MM local; empty: [households] checkin_time
    checkin_wait_hours: Optional[int] = None  # empty: [households] checkin_wait_hours
    next_checkin_at: Optional[datetime] = _when(default=None)  # None: to be computed by the timers
    active: bool = True  # False: no longer on the household's sheet (kept for the records that name them)
    note: str = ""


class CheckIn(SQLModel, table=True):
    """One scheduled check-in of one resident, with every step's time.

    ``state``: asked (waiting for the resident), caretaker (the caretaker was asked to look in), officer (the
    grid officer was told), ok, help (a help call was opened: ``case_id``), skipped (due while the bot was down).
    """

    __table_args__ = (UniqueConstraint("resident_id", "due_at"), Index("ix_checkin_state", "state", "next_at"))
    id: Optional[int] = Field(default=None, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    due_at: datetime = _when()
    state: str = "asked"
    asked_at: Optional[datetime] = _when(default=None)
    caretaker_at: Optional[datetime] = _when(default=None)
    officer_at: Optional[datetime] = _when(default=None)
    next_at: Optional[datetime] = _when(default=None)  # when the next escalation step is due
    answered_at: Optional[datetime] = _when(default=None)
    answered_by: Optional[str] = None
    answer: str = ""
    case_id: Optional[int] = None


class HomeVisit(SQLModel, table=True):
    """A face-to-face visit to a household (走访台账): anti-fraud outreach, 走访入户, and what was found."""

    __table_args__ = (Index("ix_homevisit_grid_at", "grid_id", "visited_at"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    household_id: str = Field(foreign_key="household.id", index=True)
    grid_id: str
    visited_at: datetime = _when()
    visitor_id: str
    topic: str
    anti_fraud: bool = False  # counts towards anti-fraud outreach coverage
    app_installed: Optional[bool] = None  # the national anti-fraud app; None: not asked
    findings: str = ""
    follow_up: str = ""  # what needs doing next; empty: nothing
    via: str = "command"  # command, console, api


class Dissuasion(SQLModel, table=True):
    """A warning that a resident is in contact with scammers (预警劝阻): given to the household's grid worker
    and officer at once, an outcome expected by ``deadline_at``. ``state``: open, done. ``outcome``:
    persuaded (已见面劝阻成功), not_met (未见到人), reported (已报警)."""

    __table_args__ = (UniqueConstraint("source", "source_ref"), Index("ix_dissuasion_due", "state", "next_check_at"))
    id: Optional[int] = Field(default=None, primary_key=True)
    household_id: Optional[str] = Field(default=None, foreign_key="household.id", index=True)
    resident_id: Optional[int] = Field(default=None, foreign_key="resident.id")
    grid_id: Optional[str] = None
    target: str  # the name or phone number the warning gave
    text: str
    source: str = "command"  # command, api
    source_ref: Optional[str] = None  # the feed's own id (a resend is the same task)
    created_by: str
    created_at: datetime = _when()
    deadline_at: datetime = _when()
    next_check_at: Optional[datetime] = _when(default=None)
    escalations: int = 0
    state: str = "open"
    outcome: Optional[str] = None
    outcome_note: str = ""
    outcome_by: Optional[str] = None
    outcome_at: Optional[datetime] = _when(default=None)


# --- media and fraud indicators ---


class Media(SQLModel, table=True):
    """A photo, voice note, video or file a message carried. Stored with the message at the edge; the media
    worker fetches it (``state`` pending → stored | failed), checks size and type, keeps it in the media store
    under its checksum and reads it (an image's words and QR codes)."""

    __table_args__ = (Index("ix_media_due", "state", "next_attempt_at"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="message.id", index=True)
    case_id: Optional[int] = Field(default=None, index=True)
    kind: str  # image, voice, video, file
    channel: str
    source: str  # media_id (the platform's media API), url, inline (bytes sent with the message)
    ref: str = ""  # the media id or the URL
    name: str = ""  # a file's name as sent
    declared_format: str = ""  # what the platform called it (amr, speex, mp4 …)
    inline_data: Optional[bytes] = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    state: str = "pending"  # pending, stored, failed
    error: Optional[str] = None
    attempts: int = 0
    next_attempt_at: datetime = _when()
    content_type: str = ""
    size: int = 0
    sha256: str = ""
    store_key: str = ""  # where the media store keeps it (a path under var/media/, later an object URL)
    created_at: datetime = _when()
    fetched_at: Optional[datetime] = _when(default=None)
    reading: str = "none"  # none (nothing to read), done, unavailable (no OCR installed), failed
    recognized_text: str = ""  # words read from the image, or the platform's recognition of a voice note
    qr_payloads: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    read_ms: Optional[int] = None


class FraudIndicator(SQLModel, table=True):
    """One thing a scam is recognised by (a phone number, a domain, a QR payload, an app, an account), with the
    fraud incident it belongs to now."""

    __table_args__ = (UniqueConstraint("kind", "value"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str  # phone, url, domain, qr, app, account
    value: str
    first_seen_at: datetime = _when()
    last_seen_at: datetime = _when()
    count: int = 0  # reports that carried it
    case_id: Optional[int] = Field(default=None, index=True)  # the incident (a fraud case) it was last seen in
    sample_text: str = ""  # the first report's words, masked


class FraudSighting(SQLModel, table=True):
    """One report of one indicator: which message, which group, which incident."""

    __table_args__ = (UniqueConstraint("indicator_id", "message_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="fraudindicator.id", index=True)
    message_id: int
    case_id: int = Field(index=True)
    group_id: Optional[int] = None
    grid_id: Optional[str] = None
    seen_at: datetime = _when()


class IncidentGroup(SQLModel, table=True):
    """A group a fraud incident reached: warned once, however many reports it sends."""

    __table_args__ = (UniqueConstraint("case_id", "group_key"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(index=True)
    group_key: str  # the group's id, or "direct:<person>" for a report in a direct chat
    group_id: Optional[int] = None
    grid_id: Optional[str] = None
    first_report_at: datetime = _when()
    reports: int = 1
    warned: bool = False


# --- the FAQ officers own ---


class FaqEntry(SQLModel, table=True):
    """An officer's FAQ entry: a topic of their own (``topic_key`` None), or a change to a packaged topic
    (``topic_key`` = its id; ``state = removed`` hides it). ``state``: ``draft`` (made by /faq learn, waiting
    for the officer's confirmation), ``active``, ``removed``. ``version`` grows with every change, so every
    process sees a change on its next message (handlers/faq/library.py)."""

    __table_args__ = (UniqueConstraint("topic_key"), UniqueConstraint("source_case_id"))
    id: Optional[int] = Field(default=None, primary_key=True)
    topic_key: Optional[str] = None
    title: str
    questions: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    answer: str = ""
    station: bool = False
    state: str = "active"
    source_case_id: Optional[int] = None  # the inquiry case whose officer reply it was learned from
    created_by: str
    created_at: datetime = _when()
    updated_by: str
    updated_at: datetime = _when()
    version: int = 1


class FaqClarification(SQLModel, table=True):
    """A clarifying question (“您想问：1 … 2 …？回复数字”) waiting for one resident's number in one chat until
    ``expires_at`` (after that it is simply no longer open). ``state``: ``asked``, ``answered``, ``superseded``
    (the resident asked something else meanwhile)."""

    __table_args__ = (Index("ix_faqclarification_person", "person_id", "state"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    person_id: str
    channel: str
    chat_id: str
    options: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # topic keys, in order
    question: str = ""
    message_id: Optional[int] = None
    state: str = "asked"
    asked_at: datetime = _when()
    expires_at: datetime = _when()
    answered_at: Optional[datetime] = _when(default=None)


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


# --- officers' corrections of the classifier ---


class Correction(SQLModel, table=True):
    """An officer's correction of what the bot read a case's message as (/wrong): the message's words (masked),
    the label the bot acted on and the right one. Exported as training rows (``gridbot corrections export``)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    message_id: Optional[int] = None  # the message that opened the case (None: a case from the case API)
    text: str  # masked (handlers/privacy.py): phones and ID numbers never leave in a training file
    original_intent: str
    original_subtype: Optional[str] = None
    original_scam_type: Optional[str] = None
    intent: str  # the corrected label: inquiry, dispute, fraud, help, chatter
    subtype: Optional[str] = None
    scam_type: Optional[str] = None
    urgent: bool = False
    officer_id: str
    created_at: datetime = _when()


METADATA = SQLModel.metadata  # every table above; what migrations and tests build the schema from
