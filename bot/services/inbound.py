"""Idempotent inbound: a message handled once is never handled again; a retry gets the same replies."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import InboundRecord


async def previous_replies(*, session: AsyncSession, channel: str, key: str) -> list[dict[str, Any]] | None:
    """The replies an already-handled message got, or None if it is new."""
    row = (await session.execute(
        select(InboundRecord).where(InboundRecord.channel == channel, InboundRecord.dedupe_key == key)
    )).scalar_one_or_none()
    return row.replies if row else None


def record_inbound(*, session: AsyncSession, channel: str, key: str, replies: list[dict[str, Any]]) -> None:
    """Remember a handled message (the unique key makes a racing duplicate fail its commit)."""
    session.add(InboundRecord(channel=channel, dedupe_key=key, replies=replies))
