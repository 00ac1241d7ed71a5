"""Helpers for CLI commands that work on the database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.migrate import upgrade
from bot.services.schools import ensure_school

T = TypeVar("T")


def run_in_session(settings: Settings, work: Callable[[AsyncSession, int], Awaitable[T]]) -> T:
    """Migrate, open one transaction, run work(session, school_id), commit."""
    settings.ensure_data_dir()

    async def run() -> T:
        engine = make_engine(settings.db_url)
        try:
            await upgrade(engine)
            async with make_sessionmaker(engine)() as session, session.begin():
                school = await ensure_school(session=session, name=settings.school_name, timezone=settings.timezone)
                return await work(session, school.id)
        finally:
            await engine.dispose()

    return asyncio.run(run())
