"""households (#16): households, residents, check-ins, home visits and dissuasion tasks

Revision ID: 0016_households
Revises: 0015_media
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models

revision = '0016_households'
down_revision = '0015_media'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('household',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('grid_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_grid_id'), ['grid_id'], unique=False)

    op.create_table('homevisit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('grid_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('visited_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('visitor_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('topic', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('anti_fraud', sa.Boolean(), nullable=False),
    sa.Column('app_installed', sa.Boolean(), nullable=True),
    sa.Column('findings', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('follow_up', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('via', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('homevisit', schema=None) as batch_op:
        batch_op.create_index('ix_homevisit_grid_at', ['grid_id', 'visited_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_homevisit_household_id'), ['household_id'], unique=False)

    op.create_table('resident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('salutation', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('caretaker_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('checkin_days', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('checkin_time', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('checkin_wait_hours', sa.Integer(), nullable=True),
    sa.Column('next_checkin_at', storage.models.UTCDateTime(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('household_id', 'name')
    )
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_household_id'), ['household_id'], unique=False)
        batch_op.create_index('ix_resident_next_checkin', ['next_checkin_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_person_id'), ['person_id'], unique=False)

    op.create_table('checkin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('due_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('asked_at', storage.models.UTCDateTime(), nullable=True),
    sa.Column('caretaker_at', storage.models.UTCDateTime(), nullable=True),
    sa.Column('officer_at', storage.models.UTCDateTime(), nullable=True),
    sa.Column('next_at', storage.models.UTCDateTime(), nullable=True),
    sa.Column('answered_at', storage.models.UTCDateTime(), nullable=True),
    sa.Column('answered_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('answer', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('resident_id', 'due_at')
    )
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index('ix_checkin_state', ['state', 'next_at'], unique=False)

    op.create_table('dissuasion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source_ref', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('deadline_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('next_check_at', storage.models.UTCDateTime(), nullable=True),
    sa.Column('escalations', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('outcome_note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('outcome_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('outcome_at', storage.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'source_ref')
    )
    with op.batch_alter_table('dissuasion', schema=None) as batch_op:
        batch_op.create_index('ix_dissuasion_due', ['state', 'next_check_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_dissuasion_household_id'), ['household_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('dissuasion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dissuasion_household_id'))
        batch_op.drop_index('ix_dissuasion_due')

    op.drop_table('dissuasion')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_state')
        batch_op.drop_index(batch_op.f('ix_checkin_resident_id'))

    op.drop_table('checkin')
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resident_person_id'))
        batch_op.drop_index('ix_resident_next_checkin')
        batch_op.drop_index(batch_op.f('ix_resident_household_id'))

    op.drop_table('resident')
    with op.batch_alter_table('homevisit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_homevisit_household_id'))
        batch_op.drop_index('ix_homevisit_grid_at')

    op.drop_table('homevisit')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_grid_id'))

    op.drop_table('household')
