"""audit entries name their school and the client address

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 05:05:00

Staff actions in the console, file views and exports are audited per school (who, when, what, from
which address); entries from before keep no school and no address.
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('school_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('address', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_audit_entries_school_id_schools'), 'schools', ['school_id'], ['id'])
        batch_op.create_index('ix_audit_entries_school_at', ['school_id', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_school_at')
        batch_op.drop_constraint(batch_op.f('fk_audit_entries_school_id_schools'), type_='foreignkey')
        batch_op.drop_column('address')
        batch_op.drop_column('school_id')
