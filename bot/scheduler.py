"""APScheduler is the clock: jobs only call services (the due rows are the source of truth)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler


def make_scheduler(tick: Callable[[], Awaitable[object]], audit: Callable[[], Awaitable[object]],
                   seconds: float = 1.0, beat: Callable[[], Awaitable[object]] | None = None) -> AsyncIOScheduler:
    """The one-second tick (escalations, deliveries), the one-minute auditor, never two of one at once,
    and the worker's heartbeat, on its own so that a long tick does not make the process look gone."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(tick, "interval", seconds=seconds, id="tick", max_instances=1, coalesce=True,
                      misfire_grace_time=None)
    scheduler.add_job(audit, "interval", seconds=60, id="audit", max_instances=1, coalesce=True,
                      misfire_grace_time=None)
    if beat is not None:
        scheduler.add_job(beat, "interval", seconds=1, id="heartbeat", max_instances=1, coalesce=True,
                          misfire_grace_time=None)
    return scheduler
