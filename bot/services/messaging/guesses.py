"""Failed guesses of invite and thread codes, counted per sender in the database (every worker sees them).

A sender is a keyed hash of channel and address with the server key (it changes every window, so
windows cannot be linked); the count lives in rate_counters under the window's name. Five failures
in a ten-minute window and the sender's attempts are refused, without looking, until it ends.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.messaging.sealing import Sealer
from bot.services.messaging.windows import Windows

log = logging.getLogger(__name__)
LIMIT = 5
WINDOW_SECONDS = 600
LOG_EVERY = 20  # while refused, one more warning every this many attempts
_WINDOWS = Windows("g", WINDOW_SECONDS)  # windows named g<number>: never an ISO day, so never a mailbox counter


def _key(sealer: Sealer, channel: str, external_id: str, window: str) -> str:
    return sealer.daily_key(channel, external_id, f"guess:{window}")


async def wait_minutes(*, session: AsyncSession, sealer: Sealer, channel: str, external_id: str,
                       now: datetime) -> int:
    """Say how many minutes the sender must wait before trying another code (0: they may try now)."""
    window = _WINDOWS.name(now)
    if await _WINDOWS.count(session, _key(sealer, channel, external_id, window), window) < LIMIT:
        return 0
    return max(1, math.ceil(_WINDOWS.seconds_left(now) / 60))


async def record_failure(*, session: AsyncSession, sealer: Sealer, channel: str, external_id: str, what: str,
                         now: datetime) -> None:
    """Count one failed (or refused) attempt; repeated ones are logged as a warning, never with a code or id."""
    window = _WINDOWS.name(now)
    count = await _WINDOWS.add(session, _key(sealer, channel, external_id, window), window)
    if count == LIMIT or (count > LIMIT and (count - LIMIT) % LOG_EVERY == 0):
        log.warning("code guessing: %d failed %s code attempts from one %s sender in this 10-minute window; "
                    "refusing their attempts until it ends", count, what, channel)
