"""The async engine and session factory; SQLite gets WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE.

SQLite statements run inline on the event loop (sqlite_inline.py), PostgreSQL's through asyncpg.

SQLite transactions start with BEGIN IMMEDIATE: a transaction that reads and then writes would
otherwise fail at once with "database is locked" whenever another connection wrote in between
(the busy timeout does not apply to that upgrade). Taking the write lock at BEGIN makes
concurrent transactions wait their turn instead. The wait is asynchronous and bounded
(sqlite_inline.begin_immediate): a lock held by another process never freezes the event loop.
No code may hold a transaction open while it
waits for another one (the delivery worker sends between transactions, never inside one): in a
process, SQLite has a single connection.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.db.sqlite_inline import DRIVER as SQLITE_INLINE
from bot.db.sqlite_inline import begin_immediate


def make_engine(url: str, pool_size: int = 10, lock_wait: float = 10.0) -> AsyncEngine:
    """Create the engine for a normalised async URL.

    pool_size: PostgreSQL connections per process; lock_wait: how long a SQLite transaction waits
    for another process's write lock before it fails (asynchronously: the loop keeps running).

    Parameters are hidden from errors and logs (hide_parameters): they are notes' texts and addresses.
    """
    if url.startswith("sqlite"):
        assert url.startswith(SQLITE_INLINE + ":"), "normalise_database_url first"
        # One connection per process, handed out first come first served: waiting in SQLite's busy
        # handler instead lets a busy writer starve the others (measured: pages seconds late), and
        # inline, that wait would block the event loop.
        engine = create_async_engine(url, pool_size=1, max_overflow=0,
                                     pool_timeout=60, hide_parameters=True)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - driver callback
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=2")  # lock waits happen in begin_immediate, off the loop
            cur.close()
            dbapi_conn.isolation_level = None  # the driver must not BEGIN by itself: we do, below

        @event.listens_for(engine.sync_engine, "begin")
        def _sqlite_begin(conn) -> None:  # pragma: no cover - driver callback
            begin_immediate(conn, lock_wait)

        return engine
    # A fixed set of long-lived connections, opened at start (warm_pool). No overflow: a burst beyond
    # the pool waits its turn, because opening a connection mid-burst costs more than the wait (a new
    # backend, and every statement prepared again on it) and slows the burst further (measured under
    # bench-wechat: a tail of 0.5 s where the pool grew). No recycling, for the same reason. No
    # pre-ping: it costs a round trip on every checkout (a fifth of a WeChat push). A connection the
    # server dropped fails one transaction, which its caller or platform retries, and SQLAlchemy then
    # replaces the whole pool. No code holds one connection while it waits for another (SQLite runs
    # the whole suite on a single connection), so a full pool cannot deadlock.
    return create_async_engine(url, pool_size=pool_size, max_overflow=0, pool_timeout=30, hide_parameters=True)


async def warm_pool(engine: AsyncEngine) -> int:
    """Open the pool's connections now, all at once, so that the first burst of messages does not.

    Returns how many were opened (one on SQLite).
    """
    size = engine.pool.size()  # type: ignore[attr-defined]
    conns = []
    try:
        for _ in range(size):
            conn = await engine.connect()
            conns.append(conn)
            await conn.exec_driver_sql("SELECT 1")
    finally:
        for conn in conns:
            await conn.close()
    return len(conns)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def unavailable(exc: BaseException) -> bool:
    """Whether an error means the database did not answer (down, cut off, locked, unwritable, too slow)."""
    if isinstance(exc, IntegrityError):
        return False
    if isinstance(exc, (OperationalError, InterfaceError, DisconnectionError, PoolTimeout, OSError)):
        return True  # OSError covers TimeoutError and a refused connection
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)
