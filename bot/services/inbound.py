"""Idempotent inbound: a message handled once is never handled again; a retry gets the same replies."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import InboundRecord

# Built once: every inbound message runs it (building a statement costs about as much as running it).
_PREVIOUS = select(InboundRecord.replies).where(InboundRecord.channel == bindparam("channel"),
                                                InboundRecord.dedupe_key == bindparam("key"))
_RECORD = insert(InboundRecord).inline()  # a plain Core insert: no unit of work, no id fetched back


async def previous_replies(*, session: AsyncSession, channel: str, key: str) -> list[dict[str, Any]] | None:
    """The replies an already-handled message got, or None if it is new."""
    row = (await session.execute(_PREVIOUS, {"channel": channel, "key": key})).first()
    return row[0] if row else None


async def record_inbound(*, session: AsyncSession, channel: str, key: str, replies: list[dict[str, Any]]) -> None:
    """Remember a handled message (the unique key makes a racing duplicate fail here or at commit)."""
    await (await session.connection()).execute(_RECORD, {"channel": channel, "dedupe_key": key, "replies": replies})
