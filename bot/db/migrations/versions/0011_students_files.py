"""students of concern and their files

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 05:20:00

A Student per real student (name plus class), guardians, the file's lines (attention, links), plans
(一生一策) with measures, assessments, guardians' consent, institutions, referrals, home-school contacts;
a case names its student once confirmed (cases.student_id). Nothing existing changes meaning.
"""

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('institutions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_institutions_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institutions'))
    )
    op.create_table('students',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=True),
    sa.Column('dorm_id', sa.Integer(), nullable=True),
    sa.Column('grade', sa.Integer(), nullable=True),
    sa.Column('head_teacher_id', sa.Integer(), nullable=True),
    sa.Column('attention', sa.String(length=16), nullable=True),
    sa.Column('attention_reason', sa.Text(), nullable=False),
    sa.Column('erased_at', bot.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['groups.id'], name=op.f('fk_students_class_id_groups')),
    sa.ForeignKeyConstraint(['dorm_id'], ['groups.id'], name=op.f('fk_students_dorm_id_groups')),
    sa.ForeignKeyConstraint(['head_teacher_id'], ['people.id'], name=op.f('fk_students_head_teacher_id_people')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_students_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_students'))
    )
    op.create_index('ix_students_school_name', 'students', ['school_id', 'name'], unique=False)
    op.create_table('guardians',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('relation', sa.String(length=32), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['student_id'], ['students.id'], name=op.f('fk_guardians_student_id_students')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guardians'))
    )
    op.create_index(op.f('ix_guardians_student_id'), 'guardians', ['student_id'], unique=False)
    op.create_table('student_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('at', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['people.id'], name=op.f('fk_student_events_actor_id_people')),
    sa.ForeignKeyConstraint(['student_id'], ['students.id'], name=op.f('fk_student_events_student_id_students')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_student_events'))
    )
    op.create_index(op.f('ix_student_events_student_id'), 'student_events', ['student_id'], unique=False)
    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('participants', sa.JSON(), nullable=False),
    sa.Column('held_at', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('recommendation', sa.String(length=16), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['people.id'], name=op.f('fk_assessments_by_id_people')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_assessments_case_id_cases')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_assessments_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments'))
    )
    op.create_index(op.f('ix_assessments_case_id'), 'assessments', ['case_id'], unique=False)
    op.create_table('consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('guardian_name', sa.String(length=100), nullable=False),
    sa.Column('relation', sa.String(length=32), nullable=False),
    sa.Column('given_at', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('how', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['people.id'], name=op.f('fk_consents_by_id_people')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_consents_case_id_cases')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_consents_school_id_schools')),
    sa.ForeignKeyConstraint(['student_id'], ['students.id'], name=op.f('fk_consents_student_id_students')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents'))
    )
    op.create_index(op.f('ix_consents_student_id'), 'consents', ['student_id'], unique=False)
    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('at', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('guardian', sa.String(length=100), nullable=False),
    sa.Column('how', sa.String(length=16), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.Column('next_on', sa.Date(), nullable=True),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['people.id'], name=op.f('fk_contacts_by_id_people')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_contacts_case_id_cases')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_contacts_school_id_schools')),
    sa.ForeignKeyConstraint(['student_id'], ['students.id'], name=op.f('fk_contacts_student_id_students')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    op.create_index(op.f('ix_contacts_case_id'), 'contacts', ['case_id'], unique=False)
    op.create_index(op.f('ix_contacts_student_id'), 'contacts', ['student_id'], unique=False)
    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('goals', sa.JSON(), nullable=False),
    sa.Column('review_on', sa.Date(), nullable=False),
    sa.Column('reviewed_at', bot.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_plans_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['owner_id'], ['people.id'], name=op.f('fk_plans_owner_id_people')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_plans_school_id_schools')),
    sa.ForeignKeyConstraint(['student_id'], ['students.id'], name=op.f('fk_plans_student_id_students')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans'))
    )
    op.create_index(op.f('ix_plans_student_id'), 'plans', ['student_id'], unique=False)
    op.create_table('referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('consent_id', sa.Integer(), nullable=True),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('emergency_reason', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('sent_at', bot.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('visit_on', sa.Date(), nullable=True),
    sa.Column('feedback_due_on', sa.Date(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('feedback_at', bot.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('return_assessment_id', sa.Integer(), nullable=True),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', bot.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_referrals_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['by_id'], ['people.id'], name=op.f('fk_referrals_by_id_people')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_referrals_case_id_cases')),
    sa.ForeignKeyConstraint(['consent_id'], ['consents.id'], name=op.f('fk_referrals_consent_id_consents')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'],
                            name=op.f('fk_referrals_institution_id_institutions')),
    sa.ForeignKeyConstraint(['return_assessment_id'], ['assessments.id'],
                            name=op.f('fk_referrals_return_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_referrals_school_id_schools')),
    sa.ForeignKeyConstraint(['student_id'], ['students.id'], name=op.f('fk_referrals_student_id_students')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    op.create_index(op.f('ix_referrals_case_id'), 'referrals', ['case_id'], unique=False)
    op.create_index(op.f('ix_referrals_student_id'), 'referrals', ['student_id'], unique=False)
    op.create_table('plan_measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('responsible_kind', sa.String(length=16), nullable=False),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_at', bot.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_measures_plan_id_plans')),
    sa.ForeignKeyConstraint(['responsible_id'], ['people.id'], name=op.f('fk_plan_measures_responsible_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_measures'))
    )
    op.create_index(op.f('ix_plan_measures_plan_id'), 'plan_measures', ['plan_id'], unique=False)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('student_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_student_id'), ['student_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cases_student_id_students'), 'students', ['student_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_student_id_students'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cases_student_id'))
        batch_op.drop_column('student_id')
    op.drop_index(op.f('ix_plan_measures_plan_id'), table_name='plan_measures')
    op.drop_table('plan_measures')
    op.drop_index(op.f('ix_referrals_student_id'), table_name='referrals')
    op.drop_index(op.f('ix_referrals_case_id'), table_name='referrals')
    op.drop_table('referrals')
    op.drop_index(op.f('ix_plans_student_id'), table_name='plans')
    op.drop_table('plans')
    op.drop_index(op.f('ix_contacts_student_id'), table_name='contacts')
    op.drop_index(op.f('ix_contacts_case_id'), table_name='contacts')
    op.drop_table('contacts')
    op.drop_index(op.f('ix_consents_student_id'), table_name='consents')
    op.drop_table('consents')
    op.drop_index(op.f('ix_assessments_case_id'), table_name='assessments')
    op.drop_table('assessments')
    op.drop_index(op.f('ix_student_events_student_id'), table_name='student_events')
    op.drop_table('student_events')
    op.drop_index(op.f('ix_guardians_student_id'), table_name='guardians')
    op.drop_table('guardians')
    op.drop_index('ix_students_school_name', table_name='students')
    op.drop_table('students')
    op.drop_table('institutions')
