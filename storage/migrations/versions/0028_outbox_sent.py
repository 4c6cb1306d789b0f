"""outbox_sent: a channel's deliveries by time (the bridge account's send budget is counted from them at start)

Revision ID: 0028_outbox_sent
Revises: 0027_aggregates
Create Date: 2026-12-03 11:50:00
"""
from __future__ import annotations

from alembic import op

revision = '0028_outbox_sent'
down_revision = '0027_aggregates'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_sent', ['channel', 'sent_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_sent')
