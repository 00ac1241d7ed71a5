"""SQLite for the async engine, run inline on the event loop instead of in a helper thread.

aiosqlite runs every driver call in a thread and wakes the event loop when it is done; SQLAlchemy's
adapter makes about four such calls per statement. Measured on the 2-core CI machine: 570-720 µs a
statement through aiosqlite, 150 µs inline, and a one-statement transaction 1.5 ms against 0.66 ms.
SQLite itself answers in microseconds (a local file, WAL), so the thread hop was most of the cost,
and the one connection a process has was held mostly for hops (which let a backlog of pages form
under a burst of red messages; see `make bench-escalation`).

What inline costs: a statement blocks the loop while it runs (microseconds; a commit's fsync under a
millisecond). Waiting for another process's write lock does not: begin_immediate retries off the
loop, for a bounded time. Within a process there
is one connection (see engine.py), so a transaction never waits on a lock held by its own process.

This is SQLAlchemy's own pysqlite dialect declared async: statements run synchronously inside the
greenlet SQLAlchemy's asyncio layer already uses, and pool waits stay asynchronous.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from typing import Any

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import AsyncAdaptedQueuePool
from sqlalchemy.util.concurrency import await_only, in_greenlet

DRIVER = "sqlite+inline"


async def _done() -> None:
    """An awaitable that is complete at once (awaiting it never yields to the event loop)."""


def _mark_async() -> None:
    """Tell SQLAlchemy's asyncio layer that this statement went through it.

    AsyncConnection.execute checks that the driver awaited something (a guard against sync drivers);
    awaiting a finished coroutine passes through the greenlet without an event-loop round trip.
    """
    if in_greenlet():
        await_only(_done())


def _pause(seconds: float) -> None:
    """Sleep without blocking the event loop when called inside SQLAlchemy's greenlet."""
    if in_greenlet():
        await_only(asyncio.sleep(seconds))
    else:
        time.sleep(seconds)


def begin_immediate(conn: Any, wait: float) -> None:
    """BEGIN IMMEDIATE, retried while another process holds the write lock, for at most wait seconds.

    SQLite's own busy handler would sleep inside the statement, on the event loop: every request,
    /healthz included, would freeze for as long as a CLI or a backup held the lock. Here the busy
    timeout is a few milliseconds and the waiting happens between attempts, yielding to the loop;
    after wait seconds the lock error is raised and the caller spools the message instead.
    """
    deadline = time.monotonic() + wait
    delay = 0.005
    while True:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            locked = "locked" in str(exc.orig) or "busy" in str(exc.orig)
            if not locked or time.monotonic() + delay > deadline:
                raise
        _pause(delay)
        delay = min(delay * 2, 0.01)  # short: another process's transactions last milliseconds


class InlineCursor(sqlite3.Cursor):
    """A pysqlite cursor that SQLAlchemy's async layer accepts."""

    def execute(self, *args: Any) -> Any:  # type: ignore[override]
        result = super().execute(*args)
        _mark_async()
        return result

    def executemany(self, *args: Any) -> Any:  # type: ignore[override]
        result = super().executemany(*args)
        _mark_async()
        return result

    async def _async_soft_close(self) -> None:
        """Fetching is synchronous here: nothing to finish before the result is handed back."""


class InlineConnection(sqlite3.Connection):
    """A pysqlite connection whose cursors are InlineCursors."""

    def cursor(self, factory: Any = InlineCursor) -> Any:  # type: ignore[override]
        return super().cursor(factory)


class InlineSQLiteDialect(SQLiteDialect_pysqlite):
    """pysqlite, declared async, with an asyncio-aware pool."""

    is_async = True
    supports_statement_cache = True

    @classmethod
    def get_pool_class(cls, url: Any) -> type[AsyncAdaptedQueuePool]:
        return AsyncAdaptedQueuePool

    def create_connect_args(self, url: Any) -> Any:
        args, kwargs = super().create_connect_args(url)
        kwargs["factory"] = InlineConnection
        kwargs["check_same_thread"] = False  # the pool may close it from another thread at exit
        return args, kwargs


registry.register("sqlite.inline", __name__, "InlineSQLiteDialect")
