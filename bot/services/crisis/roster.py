"""The duty roster: a weekly pattern plus date-range overrides, in the school's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import DutyOverride, DutySlot, Person

DAY = 1440  # minutes


@dataclass(frozen=True)
class Duty:
    """Who is on duty at a moment (ids), and why: a weekly slot or an override."""

    person_id: int
    backup_id: int | None
    source: str  # slot | override


@dataclass(frozen=True)
class Gap:
    """A stretch of school time with nobody on duty."""

    start: datetime
    end: datetime


class Roster:
    """The whole roster of one school in memory: answers who is on duty and where the gaps are."""

    def __init__(self, slots: list[DutySlot], overrides: list[DutyOverride], zone: ZoneInfo) -> None:
        self.slots = sorted(slots, key=lambda s: (s.weekday, s.start_minute, s.id))
        self.overrides = sorted(overrides, key=lambda o: o.id, reverse=True)  # the newest wins
        self.zone = zone

    @classmethod
    async def load(cls, *, session: AsyncSession, school_id: int, zone: ZoneInfo) -> Roster:
        """Read the school's roster."""
        slots = list((await session.execute(select(DutySlot).where(DutySlot.school_id == school_id))).scalars())
        overrides = list((await session.execute(
            select(DutyOverride).where(DutyOverride.school_id == school_id))).scalars())
        return cls(slots, overrides, zone)

    def override_on(self, day: date) -> DutyOverride | None:
        """The override covering a school date, if any."""
        return next((o for o in self.overrides if o.starts_on <= day <= o.ends_on), None)

    def at(self, moment: datetime) -> Duty | None:
        """Who is on duty at a moment; None in a gap."""
        local = moment.astimezone(self.zone)
        override = self.override_on(local.date())
        if override is not None:
            return Duty(override.person_id, override.backup_person_id, "override")
        minute = local.hour * 60 + local.minute
        for slot in self.slots:
            if slot.weekday == local.weekday() and slot.start_minute <= minute < slot.end_minute:
                return Duty(slot.person_id, slot.backup_person_id, "slot")
        return None

    def _uncovered(self, day: date) -> list[tuple[int, int]]:
        """Minute ranges of a school date with nobody on duty."""
        if self.override_on(day) is not None:
            return []
        ranges = sorted((s.start_minute, s.end_minute) for s in self.slots if s.weekday == day.weekday())
        gaps, cursor = [], 0
        for start, end in ranges:
            if start > cursor:
                gaps.append((cursor, start))
            cursor = max(cursor, end)
        if cursor < DAY:
            gaps.append((cursor, DAY))
        return gaps

    def gaps(self, start: datetime, days: int) -> list[Gap]:
        """Every gap from a moment over the next days, merged across midnight, in school time."""
        local_start = start.astimezone(self.zone)
        first = local_start.date()
        found: list[Gap] = []
        for n in range(days + 1):
            day = first + timedelta(days=n)
            midnight = datetime.combine(day, time(0), self.zone)
            for a, b in self._uncovered(day):
                g_start, g_end = midnight + timedelta(minutes=a), midnight + timedelta(minutes=b)
                g_start, g_end = max(g_start, local_start), min(g_end, local_start + timedelta(days=days))
                if g_start >= g_end:
                    continue
                if found and found[-1].end == g_start:
                    found[-1] = Gap(found[-1].start, g_end)
                else:
                    found.append(Gap(g_start, g_end))
        return found


async def on_duty(*, session: AsyncSession, school_id: int, at: datetime,
                  zone: ZoneInfo) -> tuple[Person | None, Person | None]:
    """Return (on-duty counsellor, backup) at a moment; (None, None) in a gap."""
    duty = (await Roster.load(session=session, school_id=school_id, zone=zone)).at(at)
    if duty is None:
        return None, None
    person = await session.get(Person, duty.person_id)
    backup = await session.get(Person, duty.backup_id) if duty.backup_id else None
    return person, backup


def split_range(weekday: int, start: int, end: int) -> list[tuple[int, int, int]]:
    """(weekday, start, end) pieces of a weekly range; an end at or before the start runs past midnight."""
    if end > start:
        return [(weekday, start, end)]
    pieces = [(weekday, start, DAY)]
    if end > 0:
        pieces.append(((weekday + 1) % 7, 0, end))
    return pieces


async def set_slot(*, session: AsyncSession, school_id: int, weekday: int, start: int, end: int,
                   person_id: int | None, backup_id: int | None) -> None:
    """Put a person on duty in a weekly range (or nobody, to clear it), trimming whatever it overlapped."""
    for day, a, b in split_range(weekday, start, end):
        existing = list((await session.execute(select(DutySlot).where(
            DutySlot.school_id == school_id, DutySlot.weekday == day,
            DutySlot.start_minute < b, DutySlot.end_minute > a))).scalars())
        for slot in existing:
            keep = [(slot.start_minute, a)] if slot.start_minute < a else []
            keep += [(b, slot.end_minute)] if slot.end_minute > b else []
            for s, e in keep:
                session.add(DutySlot(school_id=school_id, weekday=day, start_minute=s, end_minute=e,
                                     person_id=slot.person_id, backup_person_id=slot.backup_person_id))
            await session.execute(delete(DutySlot).where(DutySlot.id == slot.id))
        if person_id is not None:
            session.add(DutySlot(school_id=school_id, weekday=day, start_minute=a, end_minute=b,
                                 person_id=person_id, backup_person_id=backup_id))
    await session.flush()


async def add_override(*, session: AsyncSession, school_id: int, starts_on: date, ends_on: date, person_id: int,
                       backup_id: int | None, note: str = "") -> DutyOverride:
    """Put a person on duty all day on every date of a range (the newest override wins)."""
    override = DutyOverride(school_id=school_id, starts_on=starts_on, ends_on=ends_on, person_id=person_id,
                            backup_person_id=backup_id, note=note[:200])
    session.add(override)
    await session.flush()
    return override


async def staff_with_role(*, session: AsyncSession, school_id: int, role: str) -> list[Person]:
    """Everyone at the school with a role."""
    people = (await session.execute(select(Person).where(Person.school_id == school_id).order_by(Person.id)))
    return [p for p in people.scalars() if role in p.role_set]
