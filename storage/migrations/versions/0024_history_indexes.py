"""history indexes: the queries of handling stay narrow however much history is stored

Revision ID: 0024_history_indexes
Revises: 0023_duty_rota
Create Date: 2026-12-02 16:00:00
"""
from __future__ import annotations

from alembic import op

revision = '0024_history_indexes'
down_revision = '0023_duty_rota'
branch_labels = None
depends_on = None

INDEXES = (
    ('message', 'ix_message_case', ['case_id']),
    ('case', 'ix_case_reporter', ['reporter_id', 'kind', 'status']),
    ('case', 'ix_case_grid_kind_created', ['grid_id', 'kind', 'created_at']),
    ('case', 'ix_case_group_kind_created', ['group_id', 'kind', 'created_at']),
    ('case', 'ix_case_assignee', ['assignee_id', 'status']),
    ('case', 'ix_case_mediator', ['mediator_id', 'status']),
    ('case', 'ix_case_status_kind', ['status', 'kind']),
    ('outbox', 'ix_outbox_case', ['case_id']),
)


def upgrade() -> None:
    for table, name, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    for table, name, _ in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
