"""Training sessions and who answered, weekly check-in rules and rounds, key periods."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class TrainingSession(Base):
    """A training of committee members by the psychology teachers."""

    __tablename__ = "training_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(200), default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    audience: Mapped[str] = mapped_column(String(32))  # all | class | dorm | grade:N
    remind: Mapped[list[int]] = mapped_column(JSON, default=list)  # seconds before the start
    state: Mapped[str] = mapped_column(String(16), default="scheduled")  # scheduled | cancelled
    attendance_taken: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TrainingParticipant(Base):
    """One member of a session's audience: their answer (参加 / 请假) and, afterwards, attendance."""

    __tablename__ = "training_participants"
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    answer: Mapped[str | None] = mapped_column(String(16), nullable=True)  # attend | leave
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    attended: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class CheckinRule(Base):
    """When a school asks for the weekly report, when it is due, and the grace after the nudge."""

    __tablename__ = "checkin_rules"
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    ask: Mapped[str] = mapped_column(String(64), default="Fri 16:00")
    deadline: Mapped[str] = mapped_column(String(64), default="Sun 20:00")
    grace_hours: Mapped[int] = mapped_column(Integer, default=12)


class CheckinRound(Base):
    """One request for the report: asked, nudged at the deadline, listed to counsellors after the grace."""

    __tablename__ = "checkin_rounds"
    __table_args__ = (UniqueConstraint("school_id", "asked_at"), Index("ix_checkin_rounds_due", "state", "next_due_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime())
    grace_until: Mapped[datetime] = mapped_column(UTCDateTime())
    week: Mapped[str] = mapped_column(String(10))  # ISO week of the ask in school time, e.g. 2026-W48
    reason: Mapped[str] = mapped_column(String(200), default="")  # the key periods, if any
    members: Mapped[list[int]] = mapped_column(JSON, default=list)  # who was asked
    state: Mapped[str] = mapped_column(String(16), default="asked")  # asked | nudged | closed
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class KeyPeriod(Base):
    """Exam weeks, the first week after a holiday, the week after a disaster: more check-ins."""

    __tablename__ = "key_periods"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    name: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # inclusive
    checkin: Mapped[str | None] = mapped_column(String(64), nullable=True)  # e.g. "Mon,Wed,Fri 16:00"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
