"""inbox retries: a failed message's next attempt, parked messages; indexes for flood and echo checks

Revision ID: 0020_inbox_retry
Revises: 0018_console
Create Date: 2026-12-02 10:20:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = '0020_inbox_retry'
down_revision = '0018_console'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', storage.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('parked_at', storage.models.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_message_sender', ['channel', 'chat_id', 'sender_id', 'received_at'], unique=False)
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_chat', ['channel', 'chat_id', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_chat')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_sender')
        batch_op.drop_column('parked_at')
        batch_op.drop_column('next_attempt_at')
