"""corrections: officers' corrections of the classifier's labels (/wrong), the training rows they give

Revision ID: 0021_corrections
Revises: 0020_inbox_retry
Create Date: 2026-12-02 10:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models

revision = '0021_corrections'
down_revision = '0020_inbox_retry'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('correction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('original_intent', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('original_subtype', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('original_scam_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('intent', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('subtype', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('scam_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('officer_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('correction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_correction_case_id'), ['case_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('correction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_correction_case_id'))
    op.drop_table('correction')
