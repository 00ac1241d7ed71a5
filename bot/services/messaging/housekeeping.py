"""Forgetting on time: what may link a sender to a note is deleted as soon as nothing needs it."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import Thread, WebChatMessage
from bot.services.crisis.mailbox import purge_expired_addresses
from bot.services.messaging.inbound import purge_expired

log = logging.getLogger(__name__)


async def forget(*, sessions: async_sessionmaker[AsyncSession], now: datetime | None = None) -> dict[str, int]:
    """Delete inbound records past their retry window, expired sealed addresses, and web inbox replies
    of closed threads (closing deletes them; this catches any written after); return the counts."""
    now = now or utcnow()
    async with sessions() as session, session.begin():
        inbox = await session.execute(delete(WebChatMessage).where(WebChatMessage.thread_id.in_(
            select(Thread.id).where(Thread.closed_at.is_not(None)))))
        done = {"inbound_records": await purge_expired(session=session, now=now),
                "sealed_addresses": await purge_expired_addresses(session=session, now=now),
                "webchat_messages": int(inbox.rowcount or 0)}  # type: ignore[attr-defined]
    if any(done.values()):
        log.info("forgotten: %s", ", ".join(f"{n} {k}" for k, n in done.items() if n))
    return done
