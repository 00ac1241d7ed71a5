"""Notices and reminders about a file, through the outbox; never the file's content (texts.py)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Person, Student
from bot.services.messaging import outbox
from bot.services.students.errors import StudentError
from bot.texts import students as SX

REMIND_AT = time(8, 0)  # the morning of the day, school time, as follow-ups


def student_ref(student_id: int) -> str:
    """The ref of every notice about a student's file (erase finds them by it)."""
    return f"student:{student_id}"


async def staff_of(*, session: AsyncSession, school_id: int, roles: tuple[str, ...]) -> list[Person]:
    """The school's people with any of these roles."""
    people = (await session.execute(select(Person).where(Person.school_id == school_id))).scalars()
    return [p for p in people if p.role_set & set(roles)]


async def file_updated(*, session: AsyncSession, student: Student, actor_id: int | None, now: datetime) -> int:
    """Tell the counsellors (not the one who acted) that the file changed: the name only, never the content."""
    told = 0
    for person in await staff_of(session=session, school_id=student.school_id, roles=("counsellor",)):
        if person.id != actor_id:
            told += bool(await outbox.to_person(session=session, person_id=person.id, kind="notice", due_at=now,
                                                ref=student_ref(student.id),
                                                text=SX.FILE_UPDATED.format(name=student.name)))
    return told


async def remind_on(*, session: AsyncSession, person_id: int, day: date, text: str, ref: str, zone: ZoneInfo,
                    now: datetime) -> int:
    """One reminder at 08:00 school time that day (at once if that has passed); an earlier one of ref withdrawn.

    The row is written now with its due time, so a restart neither loses nor doubles it (as follow-ups).
    """
    await outbox.cancel(session=session, ref=ref)
    due = max(datetime.combine(day, REMIND_AT, zone), now)
    rows = await outbox.to_person(session=session, person_id=person_id, kind="reminder", due_at=due, ref=ref,
                                  text=text)
    return len(rows)


def not_past(day: date | None, what: str, *, now: datetime, zone: ZoneInfo) -> None:
    """Refuse a date before today (school time) for a review, a due date, a next step."""
    if day is not None and day < now.astimezone(zone).date():
        raise StudentError("past", day=day.isoformat(), what=SX.ERRORS[what])
