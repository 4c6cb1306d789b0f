"""aggregates: the events of a kind since a time, narrowed by an index (the digest's FAQ suggestions)

Revision ID: 0027_aggregates
Revises: 0025_priority_lane
Create Date: 2026-12-02 20:10:00
"""
from __future__ import annotations

from alembic import op

revision = '0027_aggregates'
down_revision = '0025_priority_lane'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('caseevent', schema=None) as batch_op:
        batch_op.create_index('ix_caseevent_action_at', ['action', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('caseevent', schema=None) as batch_op:
        batch_op.drop_index('ix_caseevent_action_at')
