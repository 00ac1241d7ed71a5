"""Claiming a due row exactly once: the shared step of escalations and check-in rounds.

A due row has `id`, `version` and `next_due_at`. The claim locks it where the database can
(PostgreSQL: FOR UPDATE SKIP LOCKED, so a second process moves on at once) and bumps its version
with a conditional UPDATE, so that even without row locks (SQLite, several processes) only one
transaction wins.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

log = logging.getLogger(__name__)
Row = TypeVar("Row", bound=Any)


async def claim(*, session: AsyncSession, model: type[Row], row_id: int, now: datetime,
                live: Callable[[Row], bool]) -> Row | None:
    """The row, claimed for this transaction, when it is live and due; None when not due or taken."""
    row = (await session.execute(select(model).where(model.id == row_id)
                                 .with_for_update(skip_locked=True))).scalar_one_or_none()
    if row is None or not live(row) or row.next_due_at is None or row.next_due_at > now:
        return None
    claimed = await session.execute(update(model).where(model.id == row.id, model.version == row.version)
                                    .values(version=row.version + 1))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    await session.refresh(row)
    return row


async def advance_each(*, sessions: async_sessionmaker[AsyncSession], ids: Iterable[int],
                       advance: Callable[[AsyncSession, int], Awaitable[bool]], what: str) -> int:
    """Advance each row in a transaction of its own; one that fails is logged and the others go on."""
    done = 0
    for row_id in ids:
        try:
            async with sessions() as session, session.begin():
                done += await advance(session, row_id)
        except Exception:  # one broken row must not stop the others
            log.exception("%s %s failed to advance", what, row_id)
    return done
