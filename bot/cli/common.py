"""Helpers for CLI commands that work on the database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.config import Settings
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.migrate import upgrade
from bot.services.school.schools import ensure_school
from bot.texts import catalogue as texts

T = TypeVar("T")


@asynccontextmanager
async def migrated_engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """An engine on an up-to-date schema, disposed afterwards (the school's texts loaded: a command may queue them)."""
    texts_ok(settings)
    settings.ensure_data_dir()
    engine = make_engine(settings.db_url)
    try:
        await upgrade(engine, secret_key=settings.key)
        yield engine
    finally:
        await engine.dispose()


def run_in_session(settings: Settings, work: Callable[[AsyncSession, int], Awaitable[T]]) -> T:
    """Migrate, open one transaction, run work(session, school_id), commit."""

    async def run() -> T:
        async with migrated_engine(settings) as engine, make_sessionmaker(engine)() as session, session.begin():
            school = await ensure_school(session=session, name=settings.school_name, timezone=settings.timezone)
            return await work(session, school.id)

    return asyncio.run(run())


err = Console(stderr=True)


def load_settings() -> Settings:
    """Settings from the environment, or a clear message and exit code 2."""
    try:
        return Settings()
    except ValidationError as exc:
        for e in exc.errors():
            err.print(f"[red]setting XINQIAO_{str(e['loc'][0]).upper()}: {e['msg']}[/red]")
        raise typer.Exit(2) from exc


def texts_ok(settings: Settings) -> bool:
    """Load the school's texts.toml, or print each problem (file, line, key, reason) and exit with code 2."""
    try:
        texts.load(settings)
    except texts.TextsError as exc:
        for problem in exc.problems:
            err.print(str(problem), style="red", markup=False, highlight=False, soft_wrap=True)
        err.print(f"{texts.path_of(settings)}: refused, nothing of it is used; "
                  "fix it (xinqiao texts check) or remove it",
                  style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    return True
