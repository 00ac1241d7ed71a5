"""delivery: claims name their process, sends counted per recipient for every process, fair pages

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 23:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'workers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('boot_id', sa.String(length=32), nullable=False),
        sa.Column('pid', sa.Integer(), nullable=False),
        sa.Column('host', sa.String(length=255), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workers')),
        sa.UniqueConstraint('boot_id', name=op.f('uq_workers_boot_id')),
    )
    op.create_table(
        'send_slots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_send_slots')),
    )
    op.create_index('ix_send_slots_address', 'send_slots', ['channel', 'address', 'at'])
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sender_key', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('merged_into', sa.Integer(), nullable=True))
        batch_op.create_index('ix_outbox_merged_into', ['merged_into'])
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sender_key', sa.String(length=32), nullable=True))
        batch_op.create_index('ix_cases_sender_key', ['sender_key'])
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fallback_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_column('fallback_at')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_sender_key')
        batch_op.drop_column('sender_key')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_merged_into')
        batch_op.drop_column('merged_into')
        batch_op.drop_column('sender_key')
        batch_op.drop_column('claimed_by')
    op.drop_index('ix_send_slots_address', table_name='send_slots')
    op.drop_table('send_slots')
    op.drop_table('workers')
