"""Students of concern and their files: guardians, attention, plans (一生一策) with measures, assessments,
guardians' consent, referrals, institutions, home-school contacts, and the file's own timeline lines.

Everything here is a minor's sensitive personal data (PIPL Art. 28, 31): never logged, never paged.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow

ATTENTION_LEVELS = ("general", "key", "special")  # 一般关注 / 重点关注 / 特别关注
RECOMMENDATIONS = ("monitor", "counselling", "referral", "crisis")
CONSENT_HOW = ("in_person", "phone", "writing")
CONTACT_HOW = ("home_visit", "phone", "meeting")
RESPONSIBLE_KINDS = ("head_teacher", "counsellor", "member", "guardian")


class Student(Base):
    """A real student, identified by name plus class (same names are normal), never by name alone."""

    __tablename__ = "students"
    __table_args__ = (Index("ix_students_school_name", "school_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    name: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(32), default="")  # 学号, tells two of one name in one class apart
    class_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), nullable=True)
    dorm_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), nullable=True)
    grade: Mapped[int | None] = mapped_column(Integer, nullable=True)
    head_teacher_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    attention: Mapped[str | None] = mapped_column(String(16), nullable=True)
    attention_reason: Mapped[str] = mapped_column(Text, default="")
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Guardian(Base):
    __tablename__ = "guardians"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    relation: Mapped[str] = mapped_column(String(32))  # 父亲, 母亲, 祖母 …
    phone: Mapped[str] = mapped_column(String(32), default="")


class StudentEvent(Base):
    """One line of a student's file that is not a row of its own: attention set, a case linked or unlinked,
    the student telling who they are in an anonymous thread."""

    __tablename__ = "student_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Plan(Base):
    """One version of a student's plan (一生一策); a revision adds a version and keeps this one readable."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    review_on: Mapped[date] = mapped_column(Date)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), nullable=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)  # who wrote it, reminded
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Measure(Base):
    """One measure of a plan version: what, who is responsible, by when."""

    __tablename__ = "plan_measures"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    responsible_kind: Mapped[str] = mapped_column(String(16))
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)  # none: guardians
    due_on: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Assessment(Base):
    """An assessment by the assessment group (评估小组) on a case."""

    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    participants: Mapped[list[str]] = mapped_column(JSON, default=list)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime())
    level: Mapped[str] = mapped_column(String(8))  # the risk level it leads to: red | orange | yellow | none
    recommendation: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16), default="risk")  # risk | return (the return-to-school one)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Consent(Base):
    """A guardian's consent to a referral: who gave it, relation, when, how."""

    __tablename__ = "consents"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    guardian_name: Mapped[str] = mapped_column(String(100))
    relation: Mapped[str] = mapped_column(String(32))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime())
    how: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)


class Institution(Base):
    """A hospital or clinic the school refers to, with its psychiatric department and phone."""

    __tablename__ = "institutions"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")


class Referral(Base):
    """A referral to an institution: consent first (or an emergency with its reason), visit, feedback, return."""

    __tablename__ = "referrals"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True, index=True)
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id"), nullable=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), nullable=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), nullable=True)
    emergency_reason: Mapped[str] = mapped_column(Text, default="")  # set: an emergency referral (110/120 …)
    state: Mapped[str] = mapped_column(String(16), default="planned")  # planned | sent | returned
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    visit_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    feedback_due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    feedback: Mapped[str] = mapped_column(Text, default="")  # the institution's advice, summarised
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    return_assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), nullable=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Contact(Base):
    """A home-school contact (家校联系) with a guardian."""

    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"), nullable=True, index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    guardian: Mapped[str] = mapped_column(String(100), default="")
    how: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")
    next_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
