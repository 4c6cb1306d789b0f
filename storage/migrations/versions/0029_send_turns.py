"""send_turns: a budgeted account's sends, shared by every sending process (the budget was each process's own)

The bridge deliveries of the last day on record become turns, so the upgrade does not hand the account a fresh
budget.

Revision ID: 0029_send_turns
Revises: 0028_outbox_sent
Create Date: 2026-12-07 16:10:00
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models

revision = '0029_send_turns'
down_revision = '0028_outbox_sent'
branch_labels = None
depends_on = None


def upgrade() -> None:
    turns = op.create_table(
        'sendturn',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('at', storage.models.UTCDateTime(), nullable=False),
        sa.Column('next_at', storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('sendturn', schema=None) as batch_op:
        batch_op.create_index('ix_sendturn_account', ['account', 'at'], unique=False)
    outbox = sa.table('outbox', sa.column('id', sa.Integer()), sa.column('channel', sa.String()),
                      sa.column('status', sa.String()), sa.column('sent_at', storage.models.UTCDateTime()))
    receipt = sa.table('deliveryreceipt', sa.column('outbox_id', sa.Integer()), sa.column('channel', sa.String()))
    since = datetime.now(timezone.utc) - timedelta(days=1)
    sent = (sa.select(outbox.c.channel, outbox.c.sent_at, outbox.c.sent_at)
            .select_from(outbox.outerjoin(receipt, receipt.c.outbox_id == outbox.c.id))
            .where(outbox.c.channel == 'bridge', outbox.c.status == 'sent', outbox.c.sent_at >= since,
                   sa.or_(receipt.c.channel.is_(None), receipt.c.channel == 'bridge')))
    op.execute(turns.insert().from_select(['account', 'at', 'next_at'], sent))


def downgrade() -> None:
    with op.batch_alter_table('sendturn', schema=None) as batch_op:
        batch_op.drop_index('ix_sendturn_account')
    op.drop_table('sendturn')
