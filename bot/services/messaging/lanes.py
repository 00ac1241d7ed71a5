"""Delivery lanes: claimed rows go out concurrently, one lane per recipient, so that a slow or hung
address or channel never delays a message to anyone else.

The rows of one recipient (a channel and address, the sealed address of one thread) go one after the
other in the order they were claimed; different recipients' rows go at the same time, with at most
PER_CHANNEL calls in flight on one channel and DATABASE deliveries in the database at once (a hung call
holds neither a database connection nor another channel's slot).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from functools import partial

PER_CHANNEL = 8  # calls in flight on one channel
DATABASE = 4  # deliveries reading or recording their row at once

Deliver = Callable[[int], Awaitable[None]]


class Lanes:
    """Per-recipient chains of delivery tasks, and the semaphores that bound them."""

    def __init__(self) -> None:
        self._tails: dict[Hashable, asyncio.Task[None]] = {}
        self.in_flight: set[int] = set()  # row ids started and not finished
        self.database = asyncio.Semaphore(DATABASE)
        self._channels: dict[str, asyncio.Semaphore] = {}

    def channel(self, name: str) -> asyncio.Semaphore:
        """The bound on calls in flight on one channel."""
        if name not in self._channels:
            self._channels[name] = asyncio.Semaphore(PER_CHANNEL)
        return self._channels[name]

    def add(self, lane: Hashable, row_id: int, deliver: Deliver) -> asyncio.Task[None]:
        """Deliver a row after the rows already in its lane; the task that does it."""
        previous = self._tails.get(lane)
        self.in_flight.add(row_id)
        task = asyncio.get_running_loop().create_task(self._run(previous, row_id, deliver))
        self._tails[lane] = task
        task.add_done_callback(partial(self._done, lane, row_id))
        return task

    @staticmethod
    async def _run(previous: asyncio.Task[None] | None, row_id: int, deliver: Deliver) -> None:
        if previous is not None:
            await asyncio.wait([previous])  # its outcome is its own: this row goes either way
        await deliver(row_id)

    def _done(self, lane: Hashable, row_id: int, task: asyncio.Task[None]) -> None:
        self.in_flight.discard(row_id)
        if self._tails.get(lane) is task:
            del self._tails[lane]

    async def drain(self) -> None:
        """Wait until every lane is empty."""
        while self._tails:
            await asyncio.wait(list(self._tails.values()))
