"""Schools, groups, people, their channel identities, invite codes and the duty roster (pattern, overrides)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow

ROLES = ("member_class", "member_dorm", "counsellor", "leader", "head_teacher", "admin")
MEMBER_ROLES = ("member_class", "member_dorm")
CASE_ROLES = ("counsellor", "leader")  # who receives pages and handles cases
STAFF_ROLES = frozenset({"counsellor", "leader", "head_teacher", "admin"})  # adults: quiet hours do not apply


class School(Base):
    __tablename__ = "schools"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Group(Base):
    """A class (班级) or a dormitory (寝室)."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("school_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    kind: Mapped[str] = mapped_column(String(16))  # class | dorm
    name: Mapped[str] = mapped_column(String(100))
    grade: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("school_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    name: Mapped[str] = mapped_column(String(100))
    roles: Mapped[str] = mapped_column(String(200), default="")  # comma separated
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)  # staff, from the roster import
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def role_set(self) -> set[str]:
        """The person's roles."""
        return {r for r in self.roles.split(",") if r}


class Identity(Base):
    """A person's address on one channel, bound by an invite code."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class InviteCode(Base):
    __tablename__ = "invite_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    qr_url: Mapped[str | None] = mapped_column(String(300), nullable=True)  # WeChat's QR for the scene bind:<code>
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DutySlot(Base):
    """Who is on duty in a weekly time range (school time), with a backup."""

    __tablename__ = "duty_slots"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)  # exclusive, up to 1440
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    backup_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)


class DutyOverride(Base):
    """Who is on duty all day on the dates of a range (leave, exam weeks), with a backup."""

    __tablename__ = "duty_overrides"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # inclusive
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    backup_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuditEntry(Base):
    """Who did what to what, when and from where, for the school's records. Never message text."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_school_at", "school_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), nullable=True)
    actor: Mapped[str] = mapped_column(String(100))  # person:<id>, cli, demo, system
    action: Mapped[str] = mapped_column(String(64))  # e.g. case.view, invite.create
    target: Mapped[str] = mapped_column(String(200), default="")  # e.g. case:12, person:3
    address: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the client address, when over HTTP
