"""Sends per person on a rate-limited channel (WeCom: 30 a minute), counted in the database for every worker.

Each send takes a slot (a row with its time) in the transaction that claims it; the slots of the last
60 seconds say how many more may go. Counting and taking are serialised per recipient: on PostgreSQL by
a transaction-level advisory lock on the recipient, taken in one order by every worker; on SQLite the
claim transaction already holds the write lock (BEGIN IMMEDIATE). So `serve --workers N` sends no more
than the limit, whichever worker sends.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SendSlot

WINDOW = timedelta(seconds=60)
MARGIN = timedelta(milliseconds=50)


def lock_key(channel: str, address: str) -> int:
    """The recipient's advisory lock key (a signed 64-bit integer)."""
    digest = hashlib.sha256(f"send:{channel}\n{address}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@dataclass
class Budget:
    """How many more sends one recipient may get now, and when the next slot frees."""

    channel: str
    address: str
    left: int
    frees_at: datetime

    def take(self, session: AsyncSession, now: datetime) -> bool:
        """Take a slot for one send now; False when none is left."""
        if self.left <= 0:
            return False
        session.add(SendSlot(channel=self.channel, address=self.address, at=now))
        self.left -= 1
        return True


async def budget(*, session: AsyncSession, channel: str, address: str, per_minute: int, now: datetime) -> Budget:
    """Lock the recipient for this transaction, forget slots older than a minute, count the rest."""
    if (await session.connection()).dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(lock_key(channel, address))))
    mine = (SendSlot.channel == channel) & (SendSlot.address == address)
    await session.execute(delete(SendSlot).where(mine, SendSlot.at <= now - WINDOW))
    used, oldest = (await session.execute(select(func.count(SendSlot.id), func.min(SendSlot.at)).where(mine))).one()
    return Budget(channel=channel, address=address, left=max(per_minute - int(used), 0),
                  frees_at=(oldest or now) + WINDOW + MARGIN)
