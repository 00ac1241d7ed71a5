"""Put messages in the outbox: to every channel a person has bound, or to a sealed thread address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import OutboxMessage
from bot.services.people import identities_of

PRIORITY_PAGE = 100
PRIORITY_NORMAL = 0


async def to_person(*, session: AsyncSession, person_id: int, kind: str, text: str,
                    options: list[str] | None = None, case_id: int | None = None,
                    priority: int = PRIORITY_NORMAL, due_at: datetime | None = None) -> list[OutboxMessage]:
    """Queue a message to every channel the person has bound; returns the rows (none if unbound)."""
    rows = []
    for ident in await identities_of(session=session, person_id=person_id):
        row = OutboxMessage(
            channel=ident.channel, address=ident.external_id, person_id=person_id, kind=kind, text=text,
            options=options or [], case_id=case_id, priority=priority, due_at=due_at or utcnow(),
        )
        session.add(row)
        rows.append(row)
    await session.flush()
    return rows


async def to_thread(*, session: AsyncSession, thread_id: int, kind: str, text: str,
                    options: list[str] | None = None, case_id: int | None = None) -> OutboxMessage:
    """Queue a message to an anonymous sender; the address is unsealed only at delivery."""
    row = OutboxMessage(channel=None, address=None, thread_id=thread_id, kind=kind, text=text,
                        options=options or [], case_id=case_id, due_at=utcnow())
    session.add(row)
    await session.flush()
    return row
