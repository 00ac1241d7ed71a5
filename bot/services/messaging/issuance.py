"""Web chat tokens issued per client address, counted per hour in the database (every worker sees them).

The address is never stored: the count lives in rate_counters under a keyed hash of the address with
the server key that changes every hour (so hours cannot be linked), in a window named t<hour number>
(never an ISO day nor a guess window). Only issuance is counted: messages on a token already issued
are never limited here, so a crisis note always goes through. The limit is generous (a whole school
may sit behind one NAT address): it stops a script minting tokens without end, not a class.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import RateCounter
from bot.db.on_conflict import OnConflict
from bot.services.messaging.sealing import Sealer

log = logging.getLogger(__name__)
WINDOW_SECONDS = 3600
_PREFIX = "t"
_COUNT = OnConflict(lambda insert: insert(RateCounter).on_conflict_do_update(
    index_elements=["key", "day"], set_={"count": RateCounter.count + 1}))
_next_sweep = 0.0


def _window(now: datetime) -> str:
    return f"{_PREFIX}{int(now.timestamp()) // WINDOW_SECONDS}"


async def retry_after(*, session: AsyncSession, sealer: Sealer, client: str, limit: int, now: datetime) -> int:
    """Count one token request from this client address; 0 when it may have the token, else the seconds
    until the hour ends. The count is taken first (one upsert), so concurrent requests cannot overshoot.
    """
    global _next_sweep
    window = _window(now)
    key = sealer.daily_key("web-token", client, f"issue:{window}")
    if time.monotonic() >= _next_sweep:  # forget ended hours now and then, not on every token
        _next_sweep = time.monotonic() + 60
        await session.execute(delete(RateCounter).where(RateCounter.day.like(f"{_PREFIX}%"), RateCounter.day < window))
    await _COUNT.execute(session, {"key": key, "day": window, "count": 1})
    row = (await session.execute(
        select(RateCounter.count).where(RateCounter.key == key, RateCounter.day == window))).first()
    count = int(row[0]) if row else 1
    if count <= limit:
        return 0
    if count == limit + 1:  # the first refusal of the hour: warn once, never with the address
        log.warning("web chat: %d tokens issued to one client address this hour; refusing more until it ends", limit)
    return max(1, WINDOW_SECONDS - int(now.timestamp()) % WINDOW_SECONDS)
