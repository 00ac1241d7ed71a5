"""people carry a phone; invite codes keep WeChat's parametrised QR for their scene

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-02 05:15:00

The roster import (staff: name, roles, phone) stores a phone per person; a head teacher's class is
the person's group, as before. An invite code remembers the URL of the temporary QR code WeChat
made for it (qrcode/create with the scene `bind:<code>`), so printing the sheet again asks nothing.
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=32), nullable=True))
    with op.batch_alter_table('invite_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('qr_url', sa.String(length=300), nullable=True))
        batch_op.create_index('ix_invite_codes_person_id', ['person_id'], unique=False)


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+ and PostgreSQL): no table copy, so the rows that point at
    # people (identities, cases …) keep their foreign keys while it runs.
    op.drop_index('ix_invite_codes_person_id', table_name='invite_codes')
    op.execute('ALTER TABLE invite_codes DROP COLUMN qr_url')
    op.execute('ALTER TABLE people DROP COLUMN phone')
