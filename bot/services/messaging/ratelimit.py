"""Rate limits on anonymous senders, counted under a keyed hash that rotates daily."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import RateCounter
from bot.services.messaging.sealing import Sealer


async def allow(*, session: AsyncSession, sealer: Sealer, channel: str, external_id: str, limit: int,
                now: datetime, zone: ZoneInfo) -> bool:
    """Count one more note for today; False when the sender is over the daily limit."""
    day = now.astimezone(zone).date().isoformat()
    key = sealer.daily_key(channel, external_id, day)
    row = (await session.execute(
        select(RateCounter).where(RateCounter.key == key, RateCounter.day == day).with_for_update()
    )).scalar_one_or_none()
    if row is None:
        session.add(RateCounter(key=key, day=day, count=1))
        return True
    if row.count >= limit:
        return False
    row.count += 1
    return True
