"""Reports, cases with their timeline, anonymous threads and the sealed reply addresses."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow

CASE_STATUSES = ("new", "acknowledged", "in_progress", "monitoring", "closed")
OUTCOMES = ("resolved", "referred", "false_report", "duplicate")


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_status_level", "status", "level"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    level: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="new")
    subject: Mapped[str] = mapped_column(String(200), default="")  # the student, as the reporter named them
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), nullable=True)
    source: Mapped[str] = mapped_column(String(16))  # concern | mailbox
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    follow_up_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # the next follow-up (跟进), school date
    # The student the case is about, once confirmed (a reporter's answer, a counsellor's link, the student's own
    # choice in an anonymous thread): never guessed by the system for a mailbox note.
    student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"), nullable=True, index=True)
    # Keyed hash (daily) of the sender whose message last raised it: its pages are queued by it, and an
    # anonymous sender's further urgent notes join this case (bot/services/crisis/flood.py).
    sender_key: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)


class CaseEvent(Base):
    """One line of a case's timeline."""

    __tablename__ = "case_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Report(Base):
    """A concern report, a mailbox note or a check-in, with its triage verdict."""

    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    kind: Mapped[str] = mapped_column(String(16))  # concern | mailbox | checkin
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), nullable=True)
    subject: Mapped[str] = mapped_column(String(200), default="")
    signs: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(8))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Thread(Base):
    """The anonymous two-way conversation of a mailbox note; its code is the only handle."""

    __tablename__ = "threads"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    push_replies: Mapped[bool] = mapped_column(Boolean, default=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ThreadMessage(Base):
    __tablename__ = "thread_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"), index=True)
    author: Mapped[str] = mapped_column(String(16))  # student | counsellor
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SealedAddress(Base):
    """Where to push a thread's replies, encrypted with the server key; deleted on close or expiry."""

    __tablename__ = "sealed_addresses"
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"), primary_key=True)
    sealed: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
