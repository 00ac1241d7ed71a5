"""Counsellor follow-ups (跟进): a case under monitoring carries its next follow-up date and a reminder."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Case, Person
from bot.services.crisis.cases import CaseError, add_event, lock_open_case
from bot.services.crisis.roster import on_duty
from bot.services.messaging import outbox
from bot.services.schedule.schedule_text import day_text
from bot.texts import reminders as T

REMIND_AT = time(8, 0)  # the morning of the follow-up, school time


async def set_follow_up(*, session: AsyncSession, case_id: int, person: Person, on: date, zone: ZoneInfo,
                        now: datetime | None = None) -> Case:
    """Put the case under monitoring with its next follow-up; remind its holder that morning."""
    now = now or utcnow()
    if on < now.astimezone(zone).date():
        raise CaseError("past")
    case = await lock_open_case(session=session, case_id=case_id, person=person)
    case.status, case.follow_up_on, case.updated_at = "monitoring", on, now
    add_event(session=session, case=case, kind="follow_up_set", actor_id=person.id, now=now,
              detail={"on": on.isoformat(), "by": person.name})
    await outbox.cancel(session=session, ref=f"followup:{case.id}")
    due = max(datetime.combine(on, REMIND_AT, zone), now)
    holder_id = case.acknowledged_by_id or person.id
    if "counsellor" not in person.role_set and case.acknowledged_by_id is None:
        on_call, _backup = await on_duty(session=session, school_id=case.school_id, at=due, zone=zone)
        holder_id = on_call.id if on_call else person.id
    subject = T.FOLLOW_UP_SUBJECT.format(subject=case.subject) if case.subject and case.source != "mailbox" else ""
    await outbox.to_person(session=session, person_id=holder_id, kind="reminder", due_at=due,
                           ref=f"followup:{case.id}", case_id=case.id,
                           text=T.FOLLOW_UP.format(case_id=case.id, subject=subject))
    return case


def follow_up_note(case: Case, today: date) -> str:
    """How a case's follow-up reads in 待处理: due today, overdue, or when."""
    if case.follow_up_on is None or case.status != "monitoring":
        return ""
    if case.follow_up_on < today:
        return T.FOLLOW_UP_OVERDUE.format(day=day_text(case.follow_up_on))
    if case.follow_up_on == today:
        return T.FOLLOW_UP_TODAY
    return T.FOLLOW_UP_NEXT.format(day=day_text(case.follow_up_on))
