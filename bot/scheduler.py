"""APScheduler is the clock: jobs only call services (the due rows are the source of truth)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

FORGET_EVERY = 600  # seconds between runs of the purge of what may link a sender to a note


def make_scheduler(tick: Callable[[], Awaitable[object]], audit: Callable[[], Awaitable[object]],
                   forget: Callable[[], Awaitable[object]] | None = None, seconds: float = 1.0,
                   beat: Callable[[], Awaitable[object]] | None = None) -> AsyncIOScheduler:
    """The one-second tick (escalations, deliveries), the one-minute auditor, the ten-minute purge
    (housekeeping.forget), never two of one at once, and the worker's heartbeat, on its own so that a
    long tick does not make the process look gone."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(tick, "interval", seconds=seconds, id="tick", max_instances=1, coalesce=True,
                      misfire_grace_time=None)
    scheduler.add_job(audit, "interval", seconds=60, id="audit", max_instances=1, coalesce=True,
                      misfire_grace_time=None)
    if forget is not None:
        scheduler.add_job(forget, "interval", seconds=FORGET_EVERY, id="forget", max_instances=1, coalesce=True,
                          misfire_grace_time=None)
    if beat is not None:
        scheduler.add_job(beat, "interval", seconds=1, id="heartbeat", max_instances=1, coalesce=True,
                          misfire_grace_time=None)
    return scheduler
