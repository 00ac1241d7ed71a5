"""The school this deployment serves."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import School


async def ensure_school(*, session: AsyncSession, name: str, timezone: str) -> School:
    """Return the school, creating it on first start."""
    school = (await session.execute(select(School).order_by(School.id).limit(1))).scalar_one_or_none()
    if school is None:
        school = School(name=name, timezone=timezone)
        session.add(school)
        await session.flush()
    return school
