"""Counts per keyed sender in fixed time windows, kept in rate_counters (every worker sees them).

A window is named <prefix><number> (never an ISO day, so never a mailbox's daily counter, and each
kind of count has its own prefix). A count is taken with one upsert, so concurrent requests cannot
overshoot; windows that have ended are forgotten now and then, not on every count.
"""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import RateCounter
from bot.db.on_conflict import OnConflict

_COUNT = OnConflict(lambda insert: insert(RateCounter).on_conflict_do_update(
    index_elements=["key", "day"], set_={"count": RateCounter.count + 1}))
SWEEP_SECONDS = 60


class Windows:
    """One kind of windowed count (prefix) with windows of a fixed length."""

    def __init__(self, prefix: str, seconds: int) -> None:
        self.prefix = prefix
        self.seconds = seconds
        self._next_sweep = 0.0

    def name(self, now: datetime) -> str:
        """The window now falls in."""
        return f"{self.prefix}{int(now.timestamp()) // self.seconds}"

    def seconds_left(self, now: datetime) -> int:
        """Seconds until the window now falls in ends (at least 1)."""
        return max(1, self.seconds - int(now.timestamp()) % self.seconds)

    async def count(self, session: AsyncSession, key: str, window: str) -> int:
        """The count under key in the window (0 when none was taken)."""
        row = (await session.execute(
            select(RateCounter.count).where(RateCounter.key == key, RateCounter.day == window))).first()
        return int(row[0]) if row else 0

    async def add(self, session: AsyncSession, key: str, window: str) -> int:
        """Count one more under key in the window; the count after it."""
        if time.monotonic() >= self._next_sweep:
            self._next_sweep = time.monotonic() + SWEEP_SECONDS
            await session.execute(delete(RateCounter).where(RateCounter.day.like(f"{self.prefix}%"),
                                                            RateCounter.day < window))
        await _COUNT.execute(session, {"key": key, "day": window, "count": 1})
        return await self.count(session, key, window)
