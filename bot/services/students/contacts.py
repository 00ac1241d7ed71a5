"""Home-school contact (家校联系): when, with whom, how (home visit, phone, parents' meeting), what was
discussed, the agreed next step and its date (a reminder that morning). Home visits are counted."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Contact
from bot.db.models_students import CONTACT_HOW
from bot.services.crisis.cases import add_event
from bot.services.school import audit
from bot.services.students import notices
from bot.services.students.assessments import case_of
from bot.services.students.errors import StudentError
from bot.services.students.students import get_student
from bot.services.students.viewer import Viewer
from bot.texts import students as SX

HOW_WORDS = {"home_visit": "home_visit", "家访": "home_visit", "phone": "phone", "电话": "phone",
             "meeting": "meeting", "家长会": "meeting", "面谈": "meeting"}
HOW_NAMES = {"home_visit": "家访", "phone": "电话", "meeting": "家长会"}


def parse_how(text: str) -> str:
    """home_visit | phone | meeting from 家访, 电话, 家长会 …"""
    how = HOW_WORDS.get(text.strip().lower())
    if how not in CONTACT_HOW:
        raise StudentError("contact_how")
    return how


async def record_contact(*, session: AsyncSession, school_id: int, how: str, summary: str, viewer: Viewer,
                         zone: ZoneInfo, student_id: int | None = None, case_id: int | None = None,
                         guardian: str = "", at: datetime | None = None, next_step: str = "",
                         next_on: date | None = None, now: datetime | None = None) -> Contact:
    """Record one contact with a guardian, about a student (or a case not yet linked to one)."""
    viewer.require_file_access()
    now = now or utcnow()
    how = parse_how(how)
    if not summary.strip():
        raise StudentError("text")
    notices.not_past(next_on, "next", now=now, zone=zone)
    student = None
    if case_id is not None:
        case = await case_of(session=session, school_id=school_id, case_id=case_id)
        student_id = student_id or case.student_id
    if student_id is not None:
        student = await get_student(session=session, school_id=school_id, student_id=student_id)
        if student.erased_at is not None:
            raise StudentError("erased")
    elif case_id is None:
        raise StudentError("unknown")
    row = Contact(school_id=school_id, student_id=student_id, case_id=case_id, at=at or now,
                  guardian=guardian.strip()[:100],
                  how=how, summary=summary.strip()[:4000], next_step=next_step.strip()[:2000], next_on=next_on,
                  by_id=viewer.person_id)
    session.add(row)
    await session.flush()
    if case_id is not None:
        add_event(session=session, case=case_id, kind="contact", actor_id=viewer.person_id, now=now,
                  detail={"contact_id": row.id, "how": how})
    if next_on is not None and viewer.person_id is not None:
        await notices.remind_on(session=session, person_id=viewer.person_id, day=next_on, ref=f"contact_next:{row.id}",
                                text=SX.NEXT_CONTACT.format(name=student.name if student else f"案例 #{case_id}",
                                                         id=row.id), zone=zone, now=now)
    audit.record(session, actor=viewer.actor, action="contact.create",
                 target=f"student:{student_id}" if student_id else f"case:{case_id}", school_id=school_id,
                 address=viewer.address)
    if student is not None:
        await notices.file_updated(session=session, student=student, actor_id=viewer.person_id, now=now)
    return row


async def contacts_of(*, session: AsyncSession, student_id: int, case_ids: list[int]) -> list[Contact]:
    """Contacts about the student or any of their cases, oldest first."""
    cond = Contact.student_id == student_id
    if case_ids:
        cond = or_(cond, Contact.case_id.in_(case_ids))
    return list((await session.execute(select(Contact).where(cond).order_by(Contact.at, Contact.id))).scalars())


async def home_visits(*, session: AsyncSession, school_id: int, since: datetime | None = None) -> int:
    """How many home visits the school made (since a time): the notice's regular home visits."""
    query = select(func.count(Contact.id)).where(Contact.school_id == school_id, Contact.how == "home_visit")
    if since is not None:
        query = query.where(Contact.at >= since)
    return int((await session.execute(query)).scalar_one())
