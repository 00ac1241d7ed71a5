"""Referrals (转介) made in the period: with a guardian's consent recorded, emergency ones, sent, feedback
received, feedback overdue (its date passed, none yet, as of when the report is made), return-to-school
assessments done. Counts only: the school's row, and by grade under the small-count rule."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Referral, Student
from bot.services.supervision.labels import SCHOOL, TOTAL, grade_name
from bot.services.supervision.table import Section, protected, titled

COUNTS = ("转介", "已记录监护人同意", "紧急转介", "已送出", "已收到反馈", "反馈逾期", "已完成返校评估")


def _counts(referral: Referral, today: date) -> tuple[bool, ...]:
    return (True, referral.consent_id is not None, bool(referral.emergency_reason),
            referral.sent_at is not None or referral.state in ("sent", "returned"),
            referral.feedback_at is not None,
            referral.feedback_at is None and referral.feedback_due_on is not None and referral.feedback_due_on < today,
            referral.return_assessment_id is not None)


async def sections(*, session: AsyncSession, school_id: int, start: datetime, end: datetime,
                   today: date) -> list[Section]:
    """The school's referral counts, and the same by grade (the student's grade when referred, now)."""
    found = (await session.execute(select(Referral, Student.grade).join(Student, Student.id == Referral.student_id)
                                   .where(Referral.school_id == school_id, Referral.created_at >= start,
                                          Referral.created_at < end))).all()
    school = [0] * len(COUNTS)
    by_grade: Counter[tuple[str, int]] = Counter()
    for referral, grade in found:
        for i, yes in enumerate(_counts(referral, today)):
            school[i] += yes
            by_grade[(grade_name(grade), i)] += yes
    first = titled("referrals", ["范围", *COUNTS])
    first.rows.append([SCHOOL, *school])
    second = titled("referrals_by_grade", ["年级", *COUNTS], below_school=True)
    names = [name for name in [grade_name(g) for g in range(1, 13)] + [grade_name(None)] if by_grade[(name, 0)]]
    shown = protected([[by_grade[(name, i)] for i in range(len(COUNTS))] for name in names])
    second.rows += [[name, *cells] for name, cells in zip(names, shown, strict=True)]
    second.rows.append([TOTAL, *school])
    return [first, second]
