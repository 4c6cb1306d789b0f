"""The statements one message costs the worker: plain chatter reads no case and loads no sender history as rows
of the ORM, and the shortcuts change no decision (a short follow-up still joins the open dispute)."""
from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlmodel import select

from bot.keys import ENGINE
from storage.db import session
from storage.models import Case, Message

pytestmark = pytest.mark.postgres

DISPUTE = "楼上天天半夜装修吵得睡不着 8栋"


class Statements:
    """The SQL statements an engine runs while recording."""

    def __init__(self, engine) -> None:  # noqa: ANN001
        self.engine, self.seen = engine, []

    def __enter__(self) -> "Statements":
        event.listen(self.engine, "before_cursor_execute", self._note)
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        event.remove(self.engine, "before_cursor_execute", self._note)

    def _note(self, conn, cursor, statement, params, context, executemany) -> None:  # noqa: ANN001
        self.seen.append(" ".join(statement.split()))


def stored(bot) -> list[Message]:
    with session(bot.app[ENGINE]) as s:
        return list(s.exec(select(Message).order_by(Message.id)).all())


async def test_plain_chatter_reads_no_case_and_few_statements(bot):
    await bot.say("grid-1", "resident-1", "大家早上好")  # the sender and the group exist from now on
    await bot.step()
    await bot.say("grid-1", "resident-1", "今天菜价又涨了")
    with Statements(bot.app[ENGINE]) as statements:
        await bot.step()
    seen = statements.seen
    lock = "SELECT message.id, message.channel, message.channel_msg_id"
    start = next(i for i, s in enumerate(seen) if s.startswith(lock))
    end = next(i for i, s in enumerate(seen) if s.startswith("UPDATE message SET handled_at"))
    handling = seen[start:end + 1]  # from the claimed message's lock to its mark as handled
    assert stored(bot)[-1].intent == "chatter" and stored(bot)[-1].handled_at is not None
    assert not [s for s in handling if 'FROM "case"' in s]
    history = [s for s in handling if s.startswith("SELECT message.id, message.text, message.received_at")]
    assert len(history) == 1  # the loop guard's, columns only
    updates = [s for s in handling if s.startswith("UPDATE message")]
    assert len(updates) == 1 and "label=" in updates[0]  # the label goes with the mark, not in a flush of its own
    # lock, group, person, resident flags, the bot's texts there, the sender's history, the mark with the label
    assert len(handling) <= 7, handling


async def test_short_follow_up_chatter_still_joins_the_open_dispute(bot):
    await bot.say("grid-1", "resident-1", DISPUTE)
    await bot.step()
    await bot.say("grid-1", "resident-1", "还是很吵")
    await bot.step()
    with session(bot.app[ENGINE]) as s:
        disputes = list(s.exec(select(Case).where(Case.kind == "dispute")).all())
    assert len(disputes) == 1
    assert stored(bot)[-1].case_id == disputes[0].id


async def test_chatter_without_a_cue_stays_out_of_the_open_dispute(bot):
    await bot.say("grid-1", "resident-1", DISPUTE)
    await bot.step()
    await bot.say("grid-1", "resident-1", "谢谢网格员")
    await bot.step()
    assert stored(bot)[-1].intent == "chatter" and stored(bot)[-1].case_id is None
