"""Configuration: config.toml, validated, with GRIDBOT_<SECTION>_<KEY> environment overrides."""
from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.config_checks import DISPUTE_SUBTYPES
from storage.models import Role, Scope


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Community(Model):
    id: str = Field(default="main", pattern=r"^[A-Za-z0-9_.\-]+$")  # the embedded community's id in the database
    name: str = Field(min_length=1)
    timezone: str = "Asia/Shanghai"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r}") from None
        return value


class Station(Model):
    id: str = Field(default="main", pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str = Field(min_length=1)
    address: str = ""
    hours: str = ""
    phone: str = ""
    duty_officer: str


class Person(Model):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str = Field(min_length=1)
    role: Role
    title: str = ""  # e.g. 物业管家, 楼栋长, 司法所调解员
    phone: str = ""
    wecom_user_id: str = ""  # the same as accounts.wecom
    mp_openid: str = ""  # accounts.mp
    bridge_id: str = ""  # accounts.bridge
    accounts: dict[str, str] = {}  # account family (see bot/channels/registry.py) → this person's id there
    scope: Scope | None = None  # station: acts on every grid (station leaders); default: admins and the duty officer
    vulnerable: bool = False  # 重点关爱对象: the officer hears of every voice note they send

    def account_ids(self) -> dict[str, str]:
        named = {"wecom": self.wecom_user_id, "mp": self.mp_openid, "bridge": self.bridge_id}
        return {family: value for family, value in {**named, **self.accounts}.items() if value}


class GroupRef(Model):
    channel: str = Field(min_length=1)  # a channel name from bot/channels/registry.py
    chat_id: str = Field(min_length=1)
    name: str = ""
    webhook_key: str = ""
    tags: list[str] = []  # broadcast targets by tag (商铺, 住宅…)


class Grid(Model):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str = Field(min_length=1)
    officer: str
    workers: list[str] = []
    buildings: list[str] = []
    groups: list[GroupRef] = []


class Mediation(Model):
    """Who mediates which dispute subtype, and the community-level mediator for escalations."""

    mediators: dict[str, str]
    community: str = ""

    @field_validator("mediators")
    @classmethod
    def _known_subtypes(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(DISPUTE_SUBTYPES))
        if unknown:
            raise ValueError(f"unknown dispute subtype(s) {unknown}; known: {list(DISPUTE_SUBTYPES)}")
        return value


class Duty(Model):
    """One ``[[duty]]`` shift of the rota (排班): ``person`` (a police officer) covers ``grids`` at local ``hours``
    on ``weekdays`` (1 = Monday … 7 = Sunday), or on one ``date`` only. See handlers/rota.py."""

    person: str
    grids: list[str] = Field(default=["all"], min_length=1)  # grid ids, or ["all"]
    hours: str  # "08:00-18:00"; "22:00-08:00" runs past midnight into the next day
    weekdays: list[int] = Field(default=[1, 2, 3, 4, 5, 6, 7], min_length=1)
    date: dt.date | None = None  # a one-off shift starting that day (wins over weekly shifts); weekdays ignored

    @field_validator("hours")
    @classmethod
    def _valid_hours(cls, value: str) -> str:
        from handlers.rota import parse_hours

        parse_hours(value)
        return value

    @field_validator("weekdays")
    @classmethod
    def _valid_weekdays(cls, value: list[int]) -> list[int]:
        bad = [d for d in value if not 1 <= d <= 7]
        if bad:
            raise ValueError(f"weekdays are 1 (Monday) to 7 (Sunday), got {bad}")
        return value


class Api(Model):
    token: str = Field(min_length=8)


class Database(Model):
    url: str = "sqlite:///var/gridbot.db"
    pool_size: int = Field(default=10, ge=1, le=200)  # PostgreSQL connections kept open per process
    max_overflow: int = Field(default=10, ge=0, le=200)  # extra connections under a burst


class Server(Model):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)


class Commands(Model):
    aliases: dict[str, list[str]] = {}


class Timers(Model):
    help_ack_minutes: int = Field(default=10, ge=1)
    followup_days: int = Field(default=3, ge=0)
    followup_answer_hours: int = Field(default=48, ge=1)
    link_window_minutes: int = Field(default=60, ge=1)
    fraud_incident_hours: int = Field(default=72, ge=1)  # one indicator in several groups within this: one incident


def _check_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown timezone {value!r}") from None
    return value


class Schedule(Model):
    """One ``[[schedules]]`` entry: a safety notice to groups, or the daily digest to officers."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    kind: Literal["notice", "digest"] = "notice"
    cron: str  # 5-field crontab, weekday 0/7 = Sunday
    timezone: str = ""  # empty: the community's timezone
    targets: list[str] = Field(default=["all"], min_length=1)  # grid ids, or ["all"]
    topic: str = ""
    topics: list[str] = []
    overdue_days: int = Field(default=3, ge=1)  # digest: open longer than this is overdue

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _check_zone(value) if value else value

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        from bot.scheduling.cron import crontab_trigger

        crontab_trigger(value, "UTC")
        return value

    @model_validator(mode="after")
    def _topics_fit_kind(self) -> "Schedule":
        if self.kind == "notice" and not (self.topic or self.topics):
            raise ValueError("a notice schedule needs topic or topics")
        if self.topic and self.topics:
            raise ValueError("give topic or topics, not both")
        if self.kind == "digest" and (self.topic or self.topics):
            raise ValueError("a digest schedule takes no topic")
        return self

    @property
    def topic_list(self) -> list[str]:
        return [self.topic] if self.topic else list(self.topics)


class Friday(Model):
    """周五工作法: the weekly agenda of hard disputes and the afternoon call for outcomes."""

    enabled: bool = True
    agenda_time: str = Field(default="09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    outcome_time: str = Field(default="17:30", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    hard_after_days: int = Field(default=7, ge=1)
    history_events: int = Field(default=3, ge=0, le=20)
    # A dispute goes on the agenda only once both parties' consent to mediation is recorded (人民调解申请书/告知书).
    require_consent: bool = False


class Console(Model):
    """The officers' web console (/console) and its sign-in."""

    session_hours: int = Field(default=12, ge=1, le=24 * 30)  # a sign-in lasts this long, then the person signs in again
    secure_cookie: bool = False  # set true behind HTTPS so the session cookie never travels in clear
    papers_dir: str = ""  # a folder of edited mediation paper templates (application.txt, notice.txt, agreement.txt)


class Households(Model):
    """Residents who live alone, dissuasion tasks, home visits: defaults for what the household sheet leaves blank."""

    checkin_time: str = Field(default="09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")  # local time of a check-in
    checkin_wait_hours: int = Field(default=3, ge=1, le=24)  # no answer by then → caretaker; as long again → officer
    dissuasion_minutes: int = Field(default=30, ge=5, le=24 * 60)  # an outcome is expected within this
    visit_days_per_week: int = Field(default=1, ge=0, le=7)  # weekly grid-day target per officer (走访入户)


class MediaLimits(Model):
    """The largest photo, voice note, video and file fetched, in bytes."""

    image: int = Field(default=10 * 1024 * 1024, ge=1024)
    voice: int = Field(default=2 * 1024 * 1024, ge=1024)
    video: int = Field(default=20 * 1024 * 1024, ge=1024)
    file: int = Field(default=20 * 1024 * 1024, ge=1024)


class MediaSettings(Model):
    """``[media]``: where fetched media are kept and how images are read."""

    root: str = "var/media"  # a folder (an object-store URL later)
    max_bytes: MediaLimits = MediaLimits()
    fetch_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    max_attempts: int = Field(default=5, ge=1, le=50)
    ocr: Literal["auto", "off"] = "auto"  # auto: read images when the ocr extra is installed
    ocr_workers: int = Field(default=0, ge=0, le=32)  # processes reading images; 0: sized for the machine
    base_url: str = ""  # how officers reach this server (links in case cards); empty: http://{server.host}:{port}


class PrivacySettings(Model):
    """``[privacy]``: how long residents' words are kept. After ``retain_message_days`` message text, media and
    the texts the bot sent are purged daily at ``purge_time`` (local) and by ``gridbot purge``; cases are kept."""

    retain_message_days: int = Field(default=180, ge=0)  # 0: keep forever
    purge_time: str = Field(default="03:30", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


class SchedulerSettings(Model):
    misfire_grace_minutes: int = Field(default=60, ge=0)  # a run missed by more than this is skipped
    timers: bool = True  # run the case-work timers every minute


class OutboxSettings(Model):
    """How this process delivers (docs/reliability.md, "Delivery and chaos")."""

    instance: str = ""  # this process's name on its leases, unique among live processes; empty: host:port
    lease_seconds: int = Field(default=30, ge=3, le=3600)  # renewed every third of it while a batch is sent
    batch: int = Field(default=10, ge=1, le=200)  # rows leased at a time


class LoggingSettings(Model):
    """``[logging]``: ``format = "json"`` writes one JSON object per line (for a log collector), else plain text
    lines; either way every line is masked (bot/log_masking.py). ``access``: which HTTP requests get an access-log
    line: ``"problems"`` (answered 4xx/5xx, or slower than a second: the default; behind a reverse proxy the proxy
    logs every request, and the inbox holds every accepted message), ``"all"``, or ``"off"``."""

    format: Literal["text", "json"] = "text"
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    access: Literal["problems", "all", "off"] = "problems"


class Config(Model):
    community: Community
    station: Station
    api: Api
    database: Database = Database()
    server: Server = Server()
    people: list[Person]
    grids: list[Grid] = Field(min_length=1)
    mediation: Mediation
    commands: Commands = Commands()
    timers: Timers = Timers()
    # The channel sections ([wecom], [bridge] …), keyed by channel name; validated by each channel's settings.
    channels: dict[str, dict[str, Any]] = {}
    schedules: list[Schedule] = []
    duty: list[Duty] = []  # the duty rota; more shifts come from `gridbot import duty FILE`
    friday: Friday = Friday()
    households: Households = Households()
    scheduler: SchedulerSettings = SchedulerSettings()
    media: MediaSettings = MediaSettings()
    console: Console = Console()
    privacy: PrivacySettings = PrivacySettings()
    outbox: OutboxSettings = OutboxSettings()
    logging: LoggingSettings = LoggingSettings()

    def person(self, person_id: str) -> Person | None:
        return next((p for p in self.people if p.id == person_id), None)

    def grid(self, grid_id: str) -> Grid | None:
        return next((g for g in self.grids if g.id == grid_id), None)

    def duty_shifts(self) -> list[dict[str, Any]]:
        """The ``[[duty]]`` rota as DutyShift rows, one per grid."""
        from handlers.rota import shift_rows

        return shift_rows(self.duty)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.community.timezone)


class ConfigError(Exception):
    """The configuration is unusable; ``errors`` holds one line per problem, each naming its key path."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def load_config(path: str | Path, environ: dict[str, str] | None = None) -> Config:
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([f"{path}: file not found"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    return parse_config(raw, environ=os.environ if environ is None else environ)


def parse_config(raw: dict[str, Any], environ: dict[str, str] | None = None) -> Config:
    """Validate raw TOML tables; on any problem raise ConfigError listing all of them, each with its key path."""
    from bot.config_checks import check_raw

    raw = _gather_channel_sections(apply_env_overrides(raw, environ or {}))
    errors: list[str] = []
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        errors = [_format_error(err) for err in exc.errors()]
    errors += check_raw(raw)
    if errors:
        raise ConfigError(errors)
    return config


def _channel_names() -> tuple[str, ...]:
    from bot.channels.registry import NAMES

    return NAMES


def _gather_channel_sections(raw: dict[str, Any]) -> dict[str, Any]:
    """Top-level tables named after a channel ([wecom], [bridge] …) become ``channels``."""
    names = _channel_names()
    gathered = {k: v for k, v in raw.items() if k not in names}
    gathered["channels"] = {k: v for k, v in raw.items() if k in names}
    return gathered


def apply_env_overrides(raw: dict[str, Any], environ: dict[str, str]) -> dict[str, Any]:
    """GRIDBOT_<SECTION>_<KEY>=value sets raw[section][key]; only for table sections."""
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in raw.items()}
    sections = (set(Config.model_fields) - {"people", "grids", "schedules", "duty", "channels"}) | set(_channel_names())
    for name, value in environ.items():
        if not name.startswith("GRIDBOT_"):
            continue
        rest = name[len("GRIDBOT_"):].lower()
        section, _, key = rest.partition("_")
        if section in sections and key:
            table = merged.setdefault(section, {})
            if isinstance(table, dict):
                table[key] = value
    return merged


def _format_error(err: dict[str, Any]) -> str:
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in err["loc"]).lstrip(".")
    message = err["msg"]
    if err["type"] == "extra_forbidden":
        message = "unknown key"
    elif err["type"] == "missing":
        message = "required key is missing"
    return f"{path or '<root>'}: {message}"
