"""The bound on the database's work for one message (XINQIAO_DATABASE_WAIT_SECONDS), with triage left out.

Triage runs on the event loop (CPU, no awaits); a long message's triage could otherwise use up the
bound and send a message to the spool while the database answers. `bounded` runs the work under an
asyncio timeout, and `uncounted` moves that deadline on by the time a synchronous call took.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")
_BOUND: contextvars.ContextVar[asyncio.Timeout] = contextvars.ContextVar("database_bound")


async def bounded(work: Awaitable[T], seconds: float) -> T:
    """Await the work, giving up (TimeoutError) once it has spent `seconds` on anything but uncounted calls."""
    async with asyncio.timeout(seconds) as bound:
        token = _BOUND.set(bound)
        try:
            return await work
        finally:
            _BOUND.reset(token)


def uncounted(call: Callable[[str], T], arg: str) -> T:
    """Run a synchronous call (triage) whose time does not count against the current bound, if any."""
    started = time.monotonic()
    try:
        return call(arg)
    finally:
        bound = _BOUND.get(None)
        deadline = bound.when() if bound is not None else None
        if bound is not None and deadline is not None:  # still ahead: the call held the loop, no callback ran
            bound.reschedule(deadline + time.monotonic() - started)
