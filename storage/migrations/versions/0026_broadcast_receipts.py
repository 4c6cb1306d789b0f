"""broadcast receipts: per group copy, the channel that delivered it and when, or why not

Revision ID: 0026_broadcast_receipts
Revises: 0024_history_indexes
Create Date: 2026-12-02 20:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models

revision = '0026_broadcast_receipts'
down_revision = '0025_priority_lane'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'deliveryreceipt',
        sa.Column('outbox_id', sa.Integer(), nullable=False),
        sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('delivered_at', storage.models.UTCDateTime(), nullable=True),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('doubtful', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('updated_at', storage.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id']),
        sa.PrimaryKeyConstraint('outbox_id'),
    )


def downgrade() -> None:
    op.drop_table('deliveryreceipt')
