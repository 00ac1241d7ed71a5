"""One sender's messages are handled one at a time in a process, before they take a database connection.

Each message's transaction locks its sender's conversation row (SELECT ... FOR UPDATE). Without this
registry, a burst from one sender (a flood of forged red notes) would take every pooled connection,
each waiting on the same row, and other senders' messages would wait past the database bound and
be spooled. Here a sender's later messages wait for its earlier ones on an asyncio lock instead,
holding no connection; the lock is first come, first served, so a sender's messages keep their order.

The registry is keyed by a keyed hash of (channel, address) made by the caller (Sealer.keyed), so no
clear address is kept; an entry lives only while someone holds or waits for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class SenderLocks:
    """Per-sender asyncio locks, removed as soon as nobody holds or waits for them."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    def __len__(self) -> int:
        """How many senders have a message being handled or waiting (0 when idle)."""
        return len(self._locks)

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Wait for the sender's earlier messages, then hold the sender's turn until the block ends."""
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)
