"""Alembic environment: run by storage/migrate.py with an open connection (never an ini file's URL)."""
from __future__ import annotations

from alembic import context

from storage.models import METADATA


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=METADATA, render_as_batch=True,
                      compare_type=True, version_table="alembic_version")
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
