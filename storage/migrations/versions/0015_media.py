"""media: photos, voice notes, videos and files of messages; fraud indicators and incidents; message kinds

Revision ID: 0015_media
Revises: 0002_rosters
Create Date: 2026-12-01 22:19:40.559161
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models

revision = '0015_media'
down_revision = '0002_rosters'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fraudindicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('first_seen_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('sample_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'value')
    )
    with op.batch_alter_table('fraudindicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fraudindicator_case_id'), ['case_id'], unique=False)

    op.create_table('incidentgroup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('group_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('first_report_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('reports', sa.Integer(), nullable=False),
    sa.Column('warned', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', 'group_key')
    )
    with op.batch_alter_table('incidentgroup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidentgroup_case_id'), ['case_id'], unique=False)

    op.create_table('fraudsighting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('seen_at', storage.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['fraudindicator.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('indicator_id', 'message_id')
    )
    with op.batch_alter_table('fraudsighting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fraudsighting_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fraudsighting_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('media',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('declared_format', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('inline_data', sa.LargeBinary(), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('store_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('fetched_at', storage.models.UTCDateTime(), nullable=True),
    sa.Column('reading', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recognized_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('qr_payloads', sa.JSON(), nullable=False),
    sa.Column('read_ms', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_media_due', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_message_id'), ['message_id'], unique=False)

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default='text'))
        batch_op.add_column(sa.Column('media_pending', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=True))

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vulnerable', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('vulnerable')

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_column('details')
        batch_op.drop_column('media_pending')
        batch_op.drop_column('kind')

    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_message_id'))
        batch_op.drop_index('ix_media_due')
        batch_op.drop_index(batch_op.f('ix_media_case_id'))

    op.drop_table('media')
    with op.batch_alter_table('fraudsighting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fraudsighting_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_fraudsighting_case_id'))

    op.drop_table('fraudsighting')
    with op.batch_alter_table('incidentgroup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incidentgroup_case_id'))

    op.drop_table('incidentgroup')
    with op.batch_alter_table('fraudindicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fraudindicator_case_id'))

    op.drop_table('fraudindicator')
