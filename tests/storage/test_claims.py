"""The handled mark: one statement that writes the label with the mark, and that only one worker can write."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from storage import claims, inbox
from storage.db import session
from storage.models import Message

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)


def stored(engine, msg_id: str) -> int:  # noqa: ANN001
    values = inbox.message_values(channel="sandbox", channel_msg_id=msg_id, chat_id="grid-1", sender_id="r",
                                  text="楼上装修太吵", sent_at=NOW, received_at=NOW)
    with engine.begin() as conn:
        return inbox.store_message(conn, values=values)[0]


def test_the_mark_writes_the_label_and_case_with_it(engine):
    message_id = stored(engine, "m-1")
    with session(engine) as s:
        message = claims.lock(s, message_id=message_id)
        message.intent, message.label, message.case_id = "dispute", {"intent": "dispute", "p": 0.9}, 7
        assert claims.mark_handled(s, message=message, now=NOW)
        s.commit()
    with session(engine) as s:
        row = s.get(Message, message_id)
        assert (row.intent, row.label, row.case_id, row.handled_at) == ("dispute", {"intent": "dispute", "p": 0.9},
                                                                          7, NOW)


def test_a_mark_with_nothing_changed_still_marks(engine):
    message_id = stored(engine, "m-2")
    with session(engine) as s:
        assert claims.mark_handled(s, message=claims.lock(s, message_id=message_id), now=NOW)
        s.commit()
    with session(engine) as s:
        row = s.get(Message, message_id)
        assert row.handled_at == NOW and row.intent is None


def test_a_second_worker_finds_it_marked_and_writes_nothing(engine):
    message_id = stored(engine, "m-3")
    with session(engine) as first, session(engine) as second:
        theirs = second.get(Message, message_id)  # SQLite locks nothing: a second worker may have read it too
        mine = claims.lock(first, message_id=message_id)
        mine.intent, mine.label = "chatter", {"intent": "chatter"}
        assert claims.mark_handled(first, message=mine, now=NOW)
        first.commit()
        theirs.intent, theirs.label = "dispute", {"intent": "dispute"}
        assert not claims.mark_handled(second, message=theirs, now=NOW)
        second.rollback()
    with session(engine) as s:
        row = s.get(Message, message_id)
        assert (row.intent, row.label) == ("chatter", {"intent": "chatter"})


def test_other_changes_in_the_session_are_flushed_before_the_mark(engine):
    first_id, other_id = stored(engine, "m-4"), stored(engine, "m-5")
    with session(engine) as s:
        message = claims.lock(s, message_id=first_id)
        other = s.get(Message, other_id)
        other.intent = "chatter"  # an absorbed repeat, say: written by the ORM's flush
        message.intent = "chatter"
        assert claims.mark_handled(s, message=message, now=NOW)
        s.commit()
    with session(engine) as s:
        assert s.get(Message, other_id).intent == "chatter" and s.get(Message, other_id).handled_at is None
