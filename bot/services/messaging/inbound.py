"""Idempotent inbound: a message handled once is never handled again; a retry gets the same replies.

A platform's message id can name the sender (the web chat's is user:client_id), so the record is
keyed by a keyed hash of it; the replies are sealed (a reply to an anonymous note carries its thread
code). A record lives as long as a retry can come (RETRY_WINDOW: Telegram re-sends an unanswered
update for up to a day; WeChat within seconds), then the hourly purge deletes it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import minute_after, utcnow
from bot.db.models import InboundRecord
from bot.services.messaging.sealing import Sealer

RETRY_WINDOW = timedelta(hours=24)

# Built once: every inbound message runs it (building a statement costs about as much as running it).
_PREVIOUS = select(InboundRecord.replies).where(InboundRecord.channel == bindparam("channel"),
                                                InboundRecord.dedupe_key == bindparam("key"))
_RECORD = insert(InboundRecord).inline()  # a plain Core insert: no unit of work, no id fetched back


async def previous_replies(*, session: AsyncSession, channel: str, key: str,
                           sealer: Sealer) -> list[dict[str, Any]] | None:
    """The replies an already-handled message got, or None if it is new (an empty list when they
    cannot be read: the message is still not handled twice)."""
    row = (await session.execute(_PREVIOUS, {"channel": channel, "key": dedupe_key(sealer, channel, key)})).first()
    if row is None:
        return None
    replies = sealer.open_stored(row[0])  # recorded before replies were sealed: a plain list
    return replies if isinstance(replies, list) else []


async def answered(*, session: AsyncSession, channel: str, key: str, sealer: Sealer) -> bool:
    """Whether a message was already handled (and its answer stored)."""
    return (await session.execute(_PREVIOUS, {"channel": channel, "key": dedupe_key(sealer, channel, key)})
            ).first() is not None


async def record_inbound(*, session: AsyncSession, channel: str, key: str, replies: list[dict[str, Any]],
                         sealer: Sealer, now: datetime | None = None) -> None:
    """Remember a handled message (the unique key makes a racing duplicate fail here or at commit)."""
    await (await session.connection()).execute(_RECORD, {
        "channel": channel, "dedupe_key": dedupe_key(sealer, channel, key), "replies": sealer.seal_stored(replies),
        "expires_at": minute_after((now or utcnow()) + RETRY_WINDOW)})


def dedupe_key(sealer: Sealer, channel: str, key: str) -> str:
    """What a message's record is stored under: a keyed hash of its platform id."""
    return sealer.keyed("inbound", channel, key)


async def purge_expired(*, session: AsyncSession, now: datetime) -> int:
    """Delete the records no retry can come for any more; return how many."""
    result = await session.execute(delete(InboundRecord).where(InboundRecord.expires_at < now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
