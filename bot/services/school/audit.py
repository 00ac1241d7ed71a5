"""The audit trail: who did what to what, when and from where. One way in (record) and one way out
(entries), so every action of the CLI, the chat commands and the console is audited the same way.

An entry never holds message text or the content of a student's file: only names of actions and
ids of their objects (case:12, person:3, student:7)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AuditEntry

MAX_FIELD = {"actor": 100, "action": 64, "target": 200, "address": 64}


def record(session: AsyncSession, *, actor: str, action: str, target: str = "", school_id: int | None = None,
           address: str | None = None, at: datetime | None = None) -> AuditEntry:
    """Add one entry to the session's transaction: it is kept exactly when the action it records is."""
    entry = AuditEntry(actor=actor[:MAX_FIELD["actor"]], action=action[:MAX_FIELD["action"]],
                       target=target[:MAX_FIELD["target"]], school_id=school_id,
                       address=address[:MAX_FIELD["address"]] if address else None)
    if at is not None:
        entry.at = at
    session.add(entry)
    return entry


async def entries(session: AsyncSession, *, school_id: int | None = None, since: datetime | None = None,
                  actor: str | None = None, target: str | None = None, action_prefix: str | None = None,
                  limit: int = 500) -> Sequence[AuditEntry]:
    """Entries newest first, filtered by school, time, actor, target and kind of action."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if school_id is not None:
        query = query.where(AuditEntry.school_id == school_id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    if target is not None:
        query = query.where(AuditEntry.target == target)
    if action_prefix is not None:
        query = query.where(AuditEntry.action.startswith(action_prefix))
    return (await session.execute(query)).scalars().all()
