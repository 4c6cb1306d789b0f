"""Schema migrations: they build exactly the models' schema, on SQLite and PostgreSQL; serve refuses a
database that is behind."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.cli import main
from storage import migrate
from storage.db import make_engine
from storage.models import METADATA
from tests.factories import make_engine_for

pytestmark = pytest.mark.postgres


@pytest.fixture
def migrated(backend, tmp_path):  # noqa: ANN001, ANN201
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
        migrate.upgrade(engine)
    else:
        engine = make_engine_for("postgresql")  # built through the migrations
    yield engine
    engine.dispose()


def test_migrations_produce_exactly_the_models_schema(migrated):
    assert migrate.current(migrated) == migrate.head()
    with migrated.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), METADATA)
    assert diff == []


def test_the_head_and_current_revision_read_without_alembic_agree_with_alembic(migrated):
    from alembic.script import ScriptDirectory

    assert migrate.head() == ScriptDirectory.from_config(migrate._config()).get_current_head()
    with migrated.connect() as connection:
        assert migrate.current(migrated) == MigrationContext.configure(connection).get_current_revision()


def test_db_commands_and_serve_refusing_a_schema_behind(tmp_path, capsys):
    config = tmp_path / "config.toml"
    text = (migrate.MIGRATIONS.parent.parent / "config.toml").read_text(encoding="utf-8")
    config.write_text(text.replace('url = "sqlite:///var/gridbot.db"', f'url = "sqlite:///{tmp_path}/g.db"'))
    assert main(["serve", "--config", str(config)]) == 2
    assert "run `gridbot db upgrade --config" in capsys.readouterr().err
    assert main(["db", "current", "--config", str(config)]) == 0
    assert "never migrated" in capsys.readouterr().out
    assert main(["db", "upgrade", "--config", str(config)]) == 0
    assert migrate.head() in capsys.readouterr().out
    assert main(["db", "current", "--config", str(config)]) == 0
    assert "up to date" in capsys.readouterr().out


def test_upgrading_a_database_that_holds_rows(backend, tmp_path):
    """A revision that adds columns must work on a database already in use, not only on an empty one."""
    from sqlalchemy import text

    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    else:
        engine = make_engine_for("postgresql")
        with engine.begin() as conn:  # start again from the first revision only
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
            for table in reversed(METADATA.sorted_tables):
                conn.execute(text(f'DROP TABLE IF EXISTS "{table.name}" CASCADE'))
    migrate.upgrade(engine, "0001_baseline")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO grid (id, name, officer_id, level) VALUES ('g1', '一网格', 'o1', 'grid')"))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT id, community_id, from_config FROM grid")).one()
    assert (row[0], row[1], bool(row[2])) == ("g1", None, False) and migrate.current(engine) == migrate.head()
    engine.dispose()


def test_the_send_turns_revision_counts_the_bridge_deliveries_of_the_last_day(backend, tmp_path):
    """0029: the bridge account's budget does not start afresh on the upgrade (only the bridge's own deliveries of
    the last day become turns; a copy its group robot delivered is the robot's)."""
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import text

    from storage import outbox
    from storage.db import session
    from storage.models import DeliveryReceipt

    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    else:
        engine = make_engine_for("postgresql")
        migrate.downgrade(engine, "0028_outbox_sent")
    migrate.upgrade(engine, "0028_outbox_sent")
    now = datetime.now(timezone.utc)
    sent = {"bridge-recent": ("bridge", timedelta(hours=1)), "bridge-old": ("bridge", timedelta(days=2)),
            "bridge-by-robot": ("bridge", timedelta(hours=2)), "wecom": ("wecom", timedelta(minutes=5)),
            "bridge-pending": ("bridge", None)}
    with session(engine) as s:
        for key, (channel, ago) in sent.items():
            row = outbox.enqueue(s, now=now, idempotency_key=key, channel=channel, chat_id="R:1@chatroom",
                                 text="【警务提醒】", kind="broadcast")
            s.flush()
            if ago is not None:
                assert outbox.settle_sent(s, row_id=row.id, now=now - ago)
            if key == "bridge-by-robot":
                s.add(DeliveryReceipt(outbox_id=row.id, channel="aibot", delivered_at=now - ago, updated_at=now))
        s.commit()
    migrate.upgrade(engine)
    with engine.connect() as conn:
        turns = conn.execute(text("SELECT account, at, next_at FROM sendturn")).all()
    engine.dispose()
    assert len(turns) == 1 and turns[0][0] == "bridge"
