"""Schema migrations (Alembic): upgrade to the newest revision, tell where a database stands.

The revisions live in storage/migrations/versions/; `gridbot db upgrade` applies them, `gridbot db current`
shows the state, and `gridbot serve` refuses a database that is behind.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r"""^revision(?::\s*str)?\s*=\s*["']([^"']+)["']""", re.M)
_DOWN = re.compile(r"""^down_revision(?::[^=]+)?\s*=\s*(?:["']([^"']+)["']|None)""", re.M)


def _config(connection=None) -> Any:  # noqa: ANN001 - an alembic Config
    from alembic.config import Config as AlembicConfig  # Alembic only when migrating: serve never imports it

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision in the package: the one no other revision names as its ``down_revision`` (read from
    the version files without importing Alembic, which would cost the server ~15 MB; a test compares it with
    Alembic's own answer)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found, down = _REVISION.search(source), _DOWN.search(source)
        if found:
            revisions.add(found.group(1))
            if down and down.group(1):
                parents.add(down.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def current(engine: Engine) -> str | None:
    """The revision a database is at (None: never migrated)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring a database to ``revision`` (by default the newest), in one transaction per run."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take a database back to ``revision`` (tests of a revision's data step; a rollback of a release)."""
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(_config(connection), revision)


def revision(engine: Engine, message: str) -> None:
    """Write a new revision from the difference between the models and an up-to-date database (developers)."""
    from alembic import command

    with engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)


def behind(engine: Engine) -> bool:
    return current(engine) != head()
