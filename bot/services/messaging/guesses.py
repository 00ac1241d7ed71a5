"""Failed guesses of invite and thread codes, counted per sender in the database (every worker sees them).

A sender is a keyed hash of channel and address with the server key (it changes every window, so
windows cannot be linked); the count lives in rate_counters under the window's name. Five failures
in a ten-minute window and the sender's attempts are refused, without looking, until it ends.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import RateCounter
from bot.db.on_conflict import OnConflict
from bot.services.messaging.sealing import Sealer

log = logging.getLogger(__name__)
LIMIT = 5
WINDOW_SECONDS = 600
LOG_EVERY = 20  # while refused, one more warning every this many attempts
_PREFIX = "g"  # windows are named g<number>: never an ISO day, so never a mailbox counter
_COUNT = OnConflict(lambda insert: insert(RateCounter).on_conflict_do_update(
    index_elements=["key", "day"], set_={"count": RateCounter.count + 1}))
_next_sweep = 0.0


def _window(now: datetime) -> str:
    return f"{_PREFIX}{int(now.timestamp()) // WINDOW_SECONDS}"


def _key(sealer: Sealer, channel: str, external_id: str, window: str) -> str:
    return sealer.daily_key(channel, external_id, f"guess:{window}")


async def _count(session: AsyncSession, key: str, window: str) -> int:
    row = (await session.execute(
        select(RateCounter.count).where(RateCounter.key == key, RateCounter.day == window))).first()
    return int(row[0]) if row else 0


async def wait_minutes(*, session: AsyncSession, sealer: Sealer, channel: str, external_id: str,
                       now: datetime) -> int:
    """Say how many minutes the sender must wait before trying another code (0: they may try now)."""
    window = _window(now)
    if await _count(session, _key(sealer, channel, external_id, window), window) < LIMIT:
        return 0
    left = WINDOW_SECONDS - int(now.timestamp()) % WINDOW_SECONDS
    return max(1, math.ceil(left / 60))


async def record_failure(*, session: AsyncSession, sealer: Sealer, channel: str, external_id: str, what: str,
                         now: datetime) -> None:
    """Count one failed (or refused) attempt; repeated ones are logged as a warning, never with a code or id."""
    global _next_sweep
    window = _window(now)
    key = _key(sealer, channel, external_id, window)
    if time.monotonic() >= _next_sweep:  # forget ended windows now and then, not on every failure
        _next_sweep = time.monotonic() + 60
        await session.execute(delete(RateCounter).where(RateCounter.day.like(f"{_PREFIX}%"), RateCounter.day < window))
    await _COUNT.execute(session, {"key": key, "day": window, "count": 1})
    count = await _count(session, key, window)
    if count == LIMIT or (count > LIMIT and (count - LIMIT) % LOG_EVERY == 0):
        log.warning("code guessing: %d failed %s code attempts from one %s sender in this 10-minute window; "
                    "refusing their attempts until it ends", count, what, channel)
