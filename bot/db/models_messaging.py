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
    __table_args__ = (Index("ix_outbox_due", "state", "due_at"), Index("ix_outbox_address", "channel", "address"))
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str | None] = mapped_column(String(16), nullable=True)
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id"), nullable=True)  # sealed address
    # A reply to a sender's own message (Telegram's): address, text and options sealed together, the
    # plain columns empty; cleared once sent.
    sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(16))  # page | reminder | reply | notice
    text: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    ref: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)  # e.g. training:5
    priority: Mapped[int] = mapped_column(Integer, default=0)  # higher first
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sending|sent|failed|undeliverable
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


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
