"""duty rota: who covers each grid at which hours; a broadcast remembers when its drafter was told the result

Revision ID: 0023_duty_rota
Revises: 0022_delivery
Create Date: 2026-12-03 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models

revision = '0023_duty_rota'
down_revision = '0022_delivery'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'dutyshift',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('grid_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('weekdays', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('on_date', sa.Date(), nullable=True),
        sa.Column('start_minute', sa.Integer(), nullable=False),
        sa.Column('end_minute', sa.Integer(), nullable=False),
        sa.Column('from_config', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('dutyshift', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dutyshift_grid_id'), ['grid_id'], unique=False)
    with op.batch_alter_table('broadcast', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reported_at', storage.models.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('broadcast', schema=None) as batch_op:
        batch_op.drop_column('reported_at')
    with op.batch_alter_table('dutyshift', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dutyshift_grid_id'))
    op.drop_table('dutyshift')
