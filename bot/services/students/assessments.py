"""Assessments by the assessment group (评估小组) on a case: who, when, the level it leads to, the
recommendation (monitor, counselling in school, referral, crisis intervention) and the reasons.

On the case's timeline (ids and level only) and in the student's file (the whole).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Assessment, Case, Student
from bot.db.models_students import RECOMMENDATIONS
from bot.services.crisis.cases import add_event
from bot.services.school import audit
from bot.services.students import notices
from bot.services.students.errors import StudentError
from bot.services.students.viewer import Viewer

LEVEL_WORDS = {"red": "red", "orange": "orange", "yellow": "yellow", "none": "none",
               "红": "red", "红色": "red", "橙": "orange", "橙色": "orange", "黄": "yellow", "黄色": "yellow",
               "无": "none", "高": "red", "高危": "red", "中": "orange", "中危": "orange", "低": "yellow",
               "低危": "yellow"}
LEVEL_NAMES = {"red": "红色", "orange": "橙色", "yellow": "黄色", "none": "无"}
RECOMMENDATION_WORDS = {"monitor": "monitor", "观察": "monitor", "监测": "monitor", "持续关注": "monitor",
                        "counselling": "counselling", "校内辅导": "counselling", "辅导": "counselling",
                        "referral": "referral", "转介": "referral", "crisis": "crisis", "危机干预": "crisis"}
RECOMMENDATION_NAMES = {"monitor": "持续观察", "counselling": "校内辅导", "referral": "转介", "crisis": "危机干预"}
DEFAULT_RECOMMENDATION = {"red": "crisis", "orange": "referral", "yellow": "counselling", "none": "monitor"}


def parse_level(text: str) -> str:
    """red | orange | yellow | none from 红, 橙色, 高危, red …"""
    level = LEVEL_WORDS.get(text.strip().lower())
    if level is None:
        raise StudentError("level")
    return level


def parse_recommendation(text: str) -> str:
    """monitor | counselling | referral | crisis from 观察, 校内辅导, 转介, 危机干预 …"""
    rec = RECOMMENDATION_WORDS.get(text.strip().lower())
    if rec is None or rec not in RECOMMENDATIONS:
        raise StudentError("recommendation")
    return rec


async def case_of(*, session: AsyncSession, school_id: int, case_id: int) -> Case:
    """The school's case or StudentError('unknown_case')."""
    case = await session.get(Case, case_id)
    if case is None or case.school_id != school_id:
        raise StudentError("unknown_case", case_id=case_id)
    return case


async def record_assessment(*, session: AsyncSession, school_id: int, case_id: int, participants: list[str],
                            level: str, recommendation: str, reasons: str, viewer: Viewer,
                            held_at: datetime | None = None, kind: str = "risk",
                            now: datetime | None = None) -> Assessment:
    """Record an assessment on a case (kind 'return': the return-to-school one after a referral)."""
    viewer.require_file_access()
    now = now or utcnow()
    case = await case_of(session=session, school_id=school_id, case_id=case_id)
    level, recommendation = parse_level(level), parse_recommendation(recommendation)
    people = [p.strip()[:50] for p in participants if p.strip()]
    if not people:
        raise StudentError("participants")
    if not reasons.strip():
        raise StudentError("reason")
    row = Assessment(school_id=school_id, case_id=case.id, participants=people, held_at=held_at or now, level=level,
                     recommendation=recommendation, reasons=reasons.strip()[:4000], kind=kind,
                     by_id=viewer.person_id, created_at=now)
    session.add(row)
    await session.flush()
    add_event(session=session, case=case, kind="assessment", actor_id=viewer.person_id, now=now,
              detail={"assessment_id": row.id, "level": level, "recommendation": recommendation, "kind": kind})
    audit.record(session, actor=viewer.actor, action="assessment.create", target=f"case:{case.id}",
                 school_id=school_id, address=viewer.address)
    if case.student_id is not None:
        student = await session.get(Student, case.student_id)
        if student is not None:
            await notices.file_updated(session=session, student=student, actor_id=viewer.person_id, now=now)
    return row


async def of_cases(*, session: AsyncSession, case_ids: list[int]) -> list[Assessment]:
    """The assessments of these cases, oldest first."""
    if not case_ids:
        return []
    return list((await session.execute(select(Assessment).where(
        Assessment.case_id.in_(case_ids)).order_by(Assessment.held_at, Assessment.id))).scalars())
