"""Conversation state, inbound de-duplication, the outbox, the web chat inbox, rate counters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class Conversation(Base):
    """Where one (channel, sender) is in a flow; the flow data and the crisis memory are sealed in data.

    Keyed by a keyed hash of channel and address (Sealer.sender_key), never the address; no time but
    when an unfinished flow expires, rounded up to the minute (a dump cannot join it to a note's time).
    """

    __tablename__ = "conversations"
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    sender_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(32), default="menu")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    idle_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Something for this address waits for them to write again (outside the platform's reply window):
    # the router looks for held messages only when this is set, not on every message.
    held: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class InboundRecord(Base):
    """An inbound message already handled, with the replies it got (a retry gets the same).

    The key is a keyed hash of the platform's message id (which can name the sender); the row is
    deleted once no retry can come (expires_at, rounded up to the minute).
    """

    __tablename__ = "inbound_records"
    __table_args__ = (UniqueConstraint("channel", "dedupe_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    # Sealed (Sealer.seal_stored); a plain list in records from before replies were sealed.
    replies: Mapped[dict[str, str] | list[dict[str, Any]]] = mapped_column(JSON, default=list)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class OutboxMessage(Base):
    """A message to push later: a page, a reminder, a thread reply, a notice."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "state", "due_at"), Index("ix_outbox_address", "channel", "address"),
                      Index("ix_outbox_merged_into", "merged_into"))
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str | None] = mapped_column(String(16), nullable=True)
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id"), nullable=True)  # sealed address
    # A reply to a sender's own message (Telegram's): address, text and options sealed together, the
    # plain columns empty; cleared once sent.
    sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(16))  # page | reminder | reply | notice | digest (pages as one)
    text: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    ref: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)  # e.g. training:5
    priority: Mapped[int] = mapped_column(Integer, default=0)  # higher first
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # pending | sending | sent | undeliverable | merged (carried by a digest) | cancelled
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    claimed_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # workers.id of the sending process
    # Who caused it (a keyed hash, never a raw id): pages to one person are queued fairly by it.
    sender_key: Mapped[str | None] = mapped_column(String(32), nullable=True)
    merged_into: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the digest row that carries it


class Worker(Base):
    """One running process that claims outbox rows, with its heartbeat: a claim names its process."""

    __tablename__ = "workers"
    id: Mapped[int] = mapped_column(primary_key=True)
    boot_id: Mapped[str] = mapped_column(String(32), unique=True)  # random, new at every start
    pid: Mapped[int] = mapped_column(Integer)
    host: Mapped[str] = mapped_column(String(255))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SendSlot(Base):
    """One send to one address on a rate-limited channel (WeCom: 30 a minute per person), for every process."""

    __tablename__ = "send_slots"
    __table_args__ = (Index("ix_send_slots_address", "channel", "address", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class WebChatMessage(Base):
    """A message pushed to a web chat sender (their inbox), keyed by a keyed hash of their address.

    A reply to an anonymous note carries its thread (deleted when the thread closes) and no time.
    """

    __tablename__ = "webchat_messages"
    __table_args__ = (Index("ix_webchat_user", "user_key", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_key: Mapped[str] = mapped_column(String(64))
    thread_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    case_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class RateCounter(Base):
    """Messages per anonymous sender per day, keyed by a hash that rotates daily."""

    __tablename__ = "rate_counters"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class CallbackNonce(Base):
    """A nonce a platform signed a callback with, kept 10 minutes: the same nonce again is a replay."""

    __tablename__ = "callback_nonces"
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
