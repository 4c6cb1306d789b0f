"""Shared builders for the scheduler, agenda and digest tests (no tests here)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.app import create_app
from bot.keys import ENGINE, OUTBOX, SCHEDULER
from handlers.cases import flow
from storage import cases
from storage.db import session as new_session
from storage.models import Case, Outbox, Person
from tests.factories import BotDriver
from tests.fakes.clock import FakeClock

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Shanghai wall-clock time, as the aware UTC time the clock speaks."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(timezone.utc)


class FakeClassifier:
    """The scheduler tests send commands only; a classification request means a test went wrong."""

    def set_scam_words(self, words: Any) -> None:
        self.words = list(words)

    def classify(self, text: str) -> Any:
        raise AssertionError(f"FakeClassifier was not told how to classify {text!r}")


async def start_bot(aiohttp_client: Any, config: Any, clock: FakeClock, engine: Any) -> BotDriver:
    app = create_app(config, clock=clock, engine=engine, background=False, classifier=FakeClassifier())
    return BotDriver(await aiohttp_client(app))


async def tick(bot: BotDriver) -> list:
    """One scheduler pass, then send everything due."""
    outcomes = await bot.app[SCHEDULER].run_due()
    while await bot.app[OUTBOX].drain_once():
        pass
    return outcomes


async def run_until(bot: BotDriver, clock: FakeClock, until: datetime, step: timedelta = timedelta(minutes=30)) -> None:
    """A bot that stays up: the clock moves in steps and the scheduler looks after each one."""
    while clock.now() < until:
        clock.set(min(clock.now() + step, until))
        await tick(bot)


def sent_rows(engine: Any, *, kind: str | None = None, chat_id: str | None = None) -> list[Outbox]:
    with new_session(engine) as session:
        stmt = select(Outbox).order_by(Outbox.id)
        if kind is not None:
            stmt = stmt.where(Outbox.kind == kind)
        if chat_id is not None:
            stmt = stmt.where(Outbox.chat_id == chat_id)
        return list(session.exec(stmt).all())


def add_dispute(engine: Any, *, now: datetime, grid_id: str = "grid-1", mediator: str = "mediator-building",
                reporter: str = "resident-1", text: str = "楼上邻居天天吵，电话13812345678", **fields: Any) -> int:
    with new_session(engine) as session:
        if session.get(Person, reporter) is None:
            session.add(Person(id=reporter, name="张三丰", role="resident", grid_id=grid_id))
            session.flush()
        officer = {"grid-1": "officer-1", "grid-2": "officer-2", "grid-3": "officer-3"}[grid_id]
        case = flow.open_case(session, now=now, actor_id=reporter, kind=fields.pop("kind", "dispute"),
                              subtype=fields.pop("subtype", "neighbor"), grid_id=grid_id, reporter_id=reporter,
                              assignee_id=officer, mediator_id=mediator, text=text, **fields)
        session.commit()
        return case.id


def case_event(engine: Any, case_id: int, *, now: datetime, action: str, move: str | None = None) -> None:
    """Record an event on a case, or make a move of the state machine (``move="resolve"``)."""
    with new_session(engine) as session:
        case = session.get(Case, case_id)
        if move:
            flow.move(session, case=case, action=move, actor_id="officer-1", now=now)
        else:
            cases.record_event(session, case=case, now=now, actor_id="officer-1", action=action)
        session.commit()


def app_engine(bot: BotDriver) -> Any:
    return bot.app[ENGINE]
