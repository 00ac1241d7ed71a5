"""Escalation policies, the running escalation of each urgent case, and the pages it sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class EscalationPolicy(Base):
    """Per school and level: steps of {target, wait} in seconds, and an optional repeat interval."""

    __tablename__ = "escalation_policies"
    __table_args__ = (UniqueConstraint("school_id", "level"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    level: Mapped[str] = mapped_column(String(8))
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    repeat_every: Mapped[int | None] = mapped_column(Integer, nullable=True)  # seconds
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Escalation(Base):
    """One case's chain: a copy of the policy it started with and the next step, due at a time.

    The row is the durable timer: the scheduler tick claims it when due (a version check makes the
    claim exactly-once even without row locks), fires the step and moves next_due_at on.
    """

    __tablename__ = "escalations"
    __table_args__ = (Index("ix_escalations_due", "state", "next_due_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    level: Mapped[str] = mapped_column(String(8))
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    repeat_every: Mapped[int | None] = mapped_column(Integer, nullable=True)
    summary: Mapped[str] = mapped_column(String(200), default="")
    step_index: Mapped[int] = mapped_column(Integer, default=0)  # the next step to fire
    round: Mapped[int] = mapped_column(Integer, default=0)  # repeats fired
    state: Mapped[str] = mapped_column(String(16), default="active")  # an EscalationState (escalation_machine.py)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    late_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)  # set by the auditor
    fallback_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)  # everyone paged
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Page(Base):
    """One notification of one person on one channel about a case, with its delivery state."""

    __tablename__ = "pages"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id"), nullable=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str] = mapped_column(String(16))
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), nullable=True, index=True)
    step: Mapped[int] = mapped_column(Integer, default=0)
    round: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(String(16), default="step")  # step | repeat | ack_timeout | level_raised
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued | sent | undeliverable
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
