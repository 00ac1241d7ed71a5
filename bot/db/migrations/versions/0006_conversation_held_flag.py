"""conversation held flag

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 13:08:29.368919
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# Rows held today (outside a platform's reply window) keep waiting for their person: mark them.
_HELD = ("SELECT 1 FROM outbox WHERE outbox.state = 'undeliverable' AND outbox.last_error LIKE 'window closed%' "
         "AND outbox.channel = conversations.channel AND outbox.address = conversations.external_id")


def upgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(f"UPDATE conversations SET held = true WHERE EXISTS ({_HELD})")
    op.execute(
        "INSERT INTO conversations (channel, external_id, state, data, updated_at, held) "
        "SELECT outbox.channel, outbox.address, 'menu', '{}', CURRENT_TIMESTAMP, true FROM outbox "
        "WHERE outbox.state = 'undeliverable' AND outbox.last_error LIKE 'window closed%' "
        "AND outbox.channel IS NOT NULL AND outbox.address IS NOT NULL AND NOT EXISTS (SELECT 1 FROM conversations "
        "WHERE conversations.channel = outbox.channel AND conversations.external_id = outbox.address) "
        "GROUP BY outbox.channel, outbox.address")


def downgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_column('held')
