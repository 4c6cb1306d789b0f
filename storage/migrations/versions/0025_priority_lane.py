"""priority lane: a message's intake priority, and partial indexes for the worker's claim of pending messages

Revision ID: 0025_priority_lane
Revises: 0024_history_indexes
Create Date: 2026-12-02 18:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0025_priority_lane'
down_revision = '0024_history_indexes'
branch_labels = None
depends_on = None

PENDING = "handled_at IS NULL"
LANE = "handled_at IS NULL AND priority > 0"


def upgrade() -> None:
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.Integer(), server_default='0', nullable=False))
        batch_op.drop_index('ix_message_pending')
    # The pending index becomes partial: only unhandled rows, so the planner's statistics count only them.
    op.create_index('ix_message_pending', 'message', ['id'], unique=False,
                    sqlite_where=sa.text(PENDING), postgresql_where=sa.text(PENDING))
    op.create_index('ix_message_pending_chat', 'message', ['channel', 'chat_id', 'id'], unique=False,
                    sqlite_where=sa.text(PENDING), postgresql_where=sa.text(PENDING))
    op.create_index('ix_message_lane', 'message', ['id'], unique=False,
                    sqlite_where=sa.text(LANE), postgresql_where=sa.text(LANE))


def downgrade() -> None:
    op.drop_index('ix_message_lane', table_name='message')
    op.drop_index('ix_message_pending_chat', table_name='message')
    op.drop_index('ix_message_pending', table_name='message')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_column('priority')
        batch_op.create_index('ix_message_pending', ['handled_at', 'id'], unique=False)
