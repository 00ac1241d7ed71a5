"""console accounts, one-time password links, sessions, cases shared with head teachers

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 05:20:00

Staff sign in to the console: an account per person (argon2id hash, optional TOTP sealed with the
server key, failed tries and the lock), one-time links to choose a password and browser sessions
(only SHA-256 digests of the secrets are kept), and the cases a counsellor shared with a head
teacher. Nothing existing changes.
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'accounts',
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('password_hash', sa.String(length=200), nullable=True),
        sa.Column('password_set_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('totp_sealed', sa.Text(), nullable=True),
        sa.Column('totp_on', sa.Boolean(), nullable=False),
        sa.Column('totp_last_step', sa.Integer(), nullable=False),
        sa.Column('failed', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_accounts_person_id_people')),
        sa.PrimaryKeyConstraint('person_id', name=op.f('pk_accounts')),
    )
    op.create_table(
        'account_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('purpose', sa.String(length=16), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_account_tokens_person_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_tokens')),
        sa.UniqueConstraint('digest', name=op.f('uq_account_tokens_digest')),
    )
    op.create_index(op.f('ix_account_tokens_person_id'), 'account_tokens', ['person_id'], unique=False)
    op.create_table(
        'console_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('second_factor', sa.Boolean(), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_console_sessions_person_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_console_sessions')),
        sa.UniqueConstraint('digest', name=op.f('uq_console_sessions_digest')),
    )
    op.create_index(op.f('ix_console_sessions_person_id'), 'console_sessions', ['person_id'], unique=False)
    op.create_table(
        'case_shares',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('shared_by_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_shares_case_id_cases')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_case_shares_person_id_people')),
        sa.ForeignKeyConstraint(['shared_by_id'], ['people.id'], name=op.f('fk_case_shares_shared_by_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_shares')),
        sa.UniqueConstraint('case_id', 'person_id', name=op.f('uq_case_shares_case_id')),
    )
    op.create_index(op.f('ix_case_shares_case_id'), 'case_shares', ['case_id'], unique=False)
    op.create_index(op.f('ix_case_shares_person_id'), 'case_shares', ['person_id'], unique=False)


def downgrade() -> None:
    op.drop_table('case_shares')
    op.drop_table('console_sessions')
    op.drop_table('account_tokens')
    op.drop_table('accounts')
