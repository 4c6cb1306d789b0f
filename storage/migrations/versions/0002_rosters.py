"""rosters: stations, communities, mediators and grid members in the database

Revision ID: 0002_rosters
Revises: 0001_baseline
Create Date: 2026-12-01 21:42:41.531032
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0002_rosters'
down_revision = '0001_baseline'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('station',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('hours', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('duty_officer_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('from_config', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('community',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('station_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('mediator_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('from_config', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_station_id'), ['station_id'], unique=False)

    op.create_table('mediator',
    sa.Column('community_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('subtype', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ),
    sa.PrimaryKeyConstraint('community_id', 'subtype')
    )
    with op.batch_alter_table('grid', schema=None) as batch_op:
        batch_op.add_column(sa.Column('community_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('buildings', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('from_config', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_grid_community_id'), ['community_id'], unique=False)
        batch_op.create_foreign_key('fk_grid_community_id', 'community', ['community_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('grid', schema=None) as batch_op:
        batch_op.drop_constraint('fk_grid_community_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_grid_community_id'))
        batch_op.drop_column('from_config')
        batch_op.drop_column('buildings')
        batch_op.drop_column('community_id')

    op.drop_table('mediator')
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_station_id'))

    op.drop_table('community')
    op.drop_table('station')

