"""aggregates: the reports narrowed by indexes (a period's cases per kind; events of a kind since a time; open visits)

Revision ID: 0027_aggregates
Revises: 0025_priority_lane
Create Date: 2026-12-02 20:10:00
"""
from __future__ import annotations

from alembic import op

revision = '0027_aggregates'
down_revision = '0026_broadcast_receipts'
branch_labels = None
depends_on = None


INDEXES = (
    ('caseevent', 'ix_caseevent_action_at', ['action', 'at']),
    ('visittask', 'ix_visittask_open', ['status', 'created_at']),
    ('case', 'ix_case_kind_created', ['kind', 'created_at']),
)


def upgrade() -> None:
    for table, name, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    for table, name, _ in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
