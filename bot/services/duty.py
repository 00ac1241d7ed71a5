"""The duty roster: who is on duty at a moment, in the school's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import DutySlot, Person


async def on_duty(*, session: AsyncSession, school_id: int, at: datetime,
                  zone: ZoneInfo) -> tuple[Person | None, Person | None]:
    """Return (on-duty counsellor, backup) at a moment; (None, None) in a gap."""
    local = at.astimezone(zone)
    minute = local.hour * 60 + local.minute
    slot = (await session.execute(
        select(DutySlot).where(
            DutySlot.school_id == school_id, DutySlot.weekday == local.weekday(),
            DutySlot.start_minute <= minute, DutySlot.end_minute > minute,
        ).order_by(DutySlot.id).limit(1)
    )).scalar_one_or_none()
    if slot is None:
        return None, None
    person = await session.get(Person, slot.person_id)
    backup = await session.get(Person, slot.backup_person_id) if slot.backup_person_id else None
    return person, backup


async def staff_with_role(*, session: AsyncSession, school_id: int, role: str) -> list[Person]:
    """Everyone at the school with a role."""
    people = (await session.execute(select(Person).where(Person.school_id == school_id))).scalars()
    return [p for p in people if role in p.role_set]
