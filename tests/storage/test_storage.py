"""Storage on SQLite and PostgreSQL: community sync, inbox dedupe, time columns, audited case changes."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from handlers.cases import flow
from storage import cases, inbox, outbox
from storage.db import normalize_url, session
from storage.models import AuditEntry, ChatGroup, Grid, Person
from tests.factories import DIRECT

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)


def test_community_sync_is_idempotent(engine, config):
    from storage.sync import sync_community


    with session(engine) as s:
        first = sync_community(s, config=config, now=NOW, direct=DIRECT)
        s.commit()
    with session(engine) as s:
        assert sync_community(s, config=config, now=NOW, direct=DIRECT) == []
        s.commit()
        assert {g.id for g in s.exec(select(Grid)).all()} == {"grid-1", "grid-2", "grid-3"}
        assert s.get(Person, "officer-2").grid_id == "grid-2"
        assert s.exec(select(ChatGroup).where(ChatGroup.chat_id == "grid-2")).one().grid_id == "grid-2"
        assert len(s.exec(select(AuditEntry)).all()) == 1
    assert any(line == "add grid grid-1" for line in first)


def test_inbox_deduplicates_on_channel_and_message_id(engine):
    values = inbox.message_values(channel="sandbox", channel_msg_id="m-1", chat_id="grid-1", sender_id="r",
                                  text="你好", sent_at=NOW, received_at=NOW)
    with engine.begin() as conn:
        first = inbox.store_message(conn, values=values)
    with engine.begin() as conn:
        again = inbox.store_message(conn, values=values)
        other = inbox.store_message(conn, values={**values, "channel": "wecom"})
    assert first[1] is True and again == (first[0], False) and other[1] is True and other[0] != first[0]


def test_times_come_back_aware_utc_and_naive_times_are_refused(engine, config):
    from storage.sync import sync_community

    local = datetime(2026, 11, 2, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    with session(engine) as s:
        sync_community(s, config=config, now=NOW, direct=DIRECT)
        case = flow.open_case(s, now=local, actor_id="r", kind="dispute", subtype="noise", grid_id="grid-1",
                               assignee_id="officer-1", reporter_id="r", text="吵")
        s.commit()
        case_id = case.id
    with session(engine) as s:
        loaded = cases.get_case(s, case_id=case_id)
        assert loaded.created_at == NOW and loaded.created_at.tzinfo is not None
        events = cases.case_events(s, case_id=case_id)
        assert [(e.action, e.from_status, e.to_status) for e in events] == [
            ("opened", None, "open"), ("assigned", "open", "assigned")]
    with session(engine) as s, pytest.raises(Exception, match="naive datetime"):
        outbox.enqueue(s, now=datetime(2026, 1, 1), idempotency_key="k", channel="sandbox", chat_id="c", text="t")
        s.flush()


def test_outbox_idempotency_key_is_unique(engine):
    with session(engine) as s:
        outbox.enqueue(s, now=NOW, idempotency_key="same", channel="sandbox", chat_id="c", text="a")
        s.commit()
    with session(engine) as s, pytest.raises(Exception):
        outbox.enqueue(s, now=NOW, idempotency_key="same", channel="sandbox", chat_id="c", text="b")
        s.commit()


@pytest.mark.parametrize("url, expected", [
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:///var/x.db", "sqlite:///var/x.db"),
])
def test_database_urls_are_normalised(url, expected, backend):
    assert normalize_url(url) == expected
