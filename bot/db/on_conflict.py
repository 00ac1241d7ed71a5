"""INSERT … ON CONFLICT statements, built once for each dialect and run on a session's connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession


class OnConflict:
    """build(insert) makes the statement from a dialect's insert(); both are made once, at import."""

    def __init__(self, build: Callable[[Any], Executable]) -> None:
        self._by_dialect = {name: build(insert) for name, insert in (("postgresql", pg_insert),
                                                                     ("sqlite", sqlite_insert))}

    async def execute(self, session: AsyncSession, params: dict[str, Any]) -> CursorResult[Any]:
        """Run in the session's transaction, as a plain Core statement."""
        connection = await session.connection()
        return await connection.execute(self._by_dialect[connection.dialect.name], params)
