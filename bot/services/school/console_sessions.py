"""Console sessions as database rows: idle 30 minutes, at most 12 hours, revoked on a password change."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import ConsoleSession, Person
from bot.services.school.accounts import digest

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
TOUCH_EVERY = timedelta(seconds=30)  # seen_at is written at most this often (polling must not write each time)


async def open_session(*, session: AsyncSession, person: Person, second_factor: bool, address: str | None,
                       now: datetime | None = None) -> str:
    """A new session; returns the cookie's secret (only its hash is stored)."""
    now = now or utcnow()
    secret = secrets.token_urlsafe(32)
    session.add(ConsoleSession(person_id=person.id, digest=digest(secret), created_at=now, seen_at=now,
                               expires_at=now + ABSOLUTE, second_factor=second_factor,
                               address=(address or "")[:64] or None))
    await session.flush()
    return secret


async def live_session(*, session: AsyncSession, secret: str, now: datetime | None = None,
                       touch: bool = True) -> ConsoleSession | None:
    """The session of a cookie, if it is neither revoked nor idle nor past its absolute limit."""
    if not secret or len(secret) > 100:
        return None
    now = now or utcnow()
    row = (await session.execute(select(ConsoleSession).where(
        ConsoleSession.digest == digest(secret)))).scalar_one_or_none()
    if row is None or row.revoked_at is not None or row.expires_at <= now or now - row.seen_at > IDLE:
        return None
    if touch and now - row.seen_at >= TOUCH_EVERY:
        row.seen_at = now
    return row


def csrf_token(secret: str, key: str) -> str:
    """The CSRF token of a session: an HMAC of its secret with the server key (nothing more to store)."""
    return hmac.new(key.encode(), b"csrf:" + secret.encode(), "sha256").hexdigest()


def csrf_ok(secret: str, key: str, token: str) -> bool:
    """Whether a form's token belongs to this session."""
    return bool(token) and hmac.compare_digest(csrf_token(secret, key), token)


async def end_session(*, session: AsyncSession, row: ConsoleSession, now: datetime | None = None) -> None:
    """Sign out."""
    row.revoked_at = now or utcnow()


async def sessions_of(*, session: AsyncSession, person_id: int) -> Sequence[ConsoleSession]:
    """A person's sessions, newest first."""
    return (await session.execute(select(ConsoleSession).where(ConsoleSession.person_id == person_id)
                                  .order_by(ConsoleSession.id.desc()))).scalars().all()


def is_live(row: ConsoleSession, now: datetime | None = None) -> bool:
    """Neither revoked, idle nor expired."""
    now = now or utcnow()
    return row.revoked_at is None and row.expires_at > now and now - row.seen_at <= IDLE
