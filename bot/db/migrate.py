"""Run Alembic migrations from code (`xinqiao migrate`, and `serve` on start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    """An Alembic config pointing at the packaged migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


async def upgrade(engine: AsyncEngine, revision: str = "head", secret_key: str | None = None) -> None:
    """Bring the database schema up to the given revision.

    secret_key: the server key, for migrations that convert rows with it (0008 re-keys senders' rows
    by keyed hashes); a database without such rows migrates without it.
    """
    cfg = alembic_config()

    def _run(connection) -> None:
        cfg.attributes["connection"] = connection
        cfg.attributes["secret_key"] = secret_key
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await startup_lock(conn)
        await conn.run_sync(_run)


async def startup_lock(conn: AsyncConnection) -> None:
    """Serialise start-up work of several processes (workers) for this transaction.

    PostgreSQL: a transaction-level advisory lock. SQLite: BEGIN IMMEDIATE already holds the write lock.
    """
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(7238140)"))
