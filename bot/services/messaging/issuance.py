"""Web chat tokens issued per client address, counted per hour in the database (every worker sees them).

The address is never stored: the count lives in rate_counters under a keyed hash of the address with
the server key that changes every hour (so hours cannot be linked), in a window named t<hour number>
(never an ISO day nor a guess window). Only issuance is counted: messages on a token already issued
are never limited here, so a crisis note always goes through. The limit is generous (a whole school
may sit behind one NAT address): it stops a script minting tokens without end, not a class.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.messaging.sealing import Sealer
from bot.services.messaging.windows import Windows

log = logging.getLogger(__name__)
WINDOW_SECONDS = 3600
_HOURS = Windows("t", WINDOW_SECONDS)


async def retry_after(*, session: AsyncSession, sealer: Sealer, client: str, limit: int, now: datetime) -> int:
    """Count one token request from this client address; 0 when it may have the token, else the seconds
    until the hour ends. The count is taken first (one upsert), so concurrent requests cannot overshoot.
    """
    window = _HOURS.name(now)
    count = await _HOURS.add(session, sealer.daily_key("web-token", client, f"issue:{window}"), window)
    if count <= limit:
        return 0
    if count == limit + 1:  # the first refusal of the hour: warn once, never with the address
        log.warning("web chat: %d tokens issued to one client address this hour; refusing more until it ends", limit)
    return _HOURS.seconds_left(now)
