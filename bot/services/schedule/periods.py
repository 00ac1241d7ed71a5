"""Key periods (exam weeks, after a holiday, after a disaster): dates, and their own check-in rule."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import KeyPeriod
from bot.services.schedule.schedule_text import parse_schedule
from bot.texts import counsellor as counsellor_texts


async def add_period(*, session: AsyncSession, school_id: int, name: str, starts_on: date, ends_on: date,
                     checkin: str | None, zone: ZoneInfo) -> KeyPeriod:
    """Add a key period; its check-in rule, if any, is checked now (ValueError with the reason)."""
    if ends_on < starts_on:
        raise ValueError("--to is before --from")
    if not name.strip():
        raise ValueError("--name is empty")
    if checkin:
        parse_schedule(checkin, zone)
    period = KeyPeriod(school_id=school_id, name=name.strip()[:100], starts_on=starts_on, ends_on=ends_on,
                       checkin=checkin or None)
    session.add(period)
    await session.flush()
    return period


async def list_periods(*, session: AsyncSession, school_id: int) -> list[KeyPeriod]:
    """Every key period, in date order."""
    return list((await session.execute(select(KeyPeriod).where(KeyPeriod.school_id == school_id)
                                       .order_by(KeyPeriod.starts_on, KeyPeriod.id))).scalars())


def covering(periods: list[KeyPeriod], moment: datetime, zone: ZoneInfo) -> list[KeyPeriod]:
    """The periods a moment falls in (school date)."""
    day = moment.astimezone(zone).date()
    return [p for p in periods if p.starts_on <= day <= p.ends_on]


HOLIDAY_WORDS = ("假", "节")  # 寒假, 暑假, 放假, 国庆节…: a key period named so is a holiday


async def holiday_on(*, session: AsyncSession, school_id: int, day: date) -> str:
    """The name of a holiday key period covering the day, or an empty string."""
    for period in await list_periods(session=session, school_id=school_id):
        if period.starts_on <= day <= period.ends_on and any(w in period.name for w in HOLIDAY_WORDS):
            return period.name
    return ""


async def off_school(*, session: AsyncSession, school_id: int, day: date) -> str:
    """Why the day is not a school day (周末, or a holiday key period's name), or an empty string."""
    if day.weekday() >= 5:
        return counsellor_texts.WEEKEND
    return await holiday_on(session=session, school_id=school_id, day=day)


async def remove_period(*, session: AsyncSession, school_id: int, period_id: int) -> KeyPeriod:
    """Remove one of the school's key periods (LookupError when there is none with that id); returns it."""
    period = await session.get(KeyPeriod, period_id)
    if period is None or period.school_id != school_id:
        raise LookupError(f"no key period #{period_id}")
    await session.delete(period)
    await session.flush()
    return period
