"""The attention level of a student (一般关注 / 重点关注 / 特别关注), set by a counsellor with a reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Student, StudentEvent
from bot.db.models_students import ATTENTION_LEVELS
from bot.services.school import audit
from bot.services.students import notices
from bot.services.students.errors import StudentError
from bot.services.students.students import get_student
from bot.services.students.viewer import Viewer

LEVEL_NAMES = {"general": "一般关注", "key": "重点关注", "special": "特别关注"}
_WORDS = {**{v: k for k, v in LEVEL_NAMES.items()}, **{k: k for k in ATTENTION_LEVELS},
          "一般": "general", "重点": "key", "特别": "special"}


def parse_level(text: str) -> str:
    """general | key | special from 一般关注, 重点, special …; StudentError('attention') otherwise."""
    level = _WORDS.get(text.strip().lower())
    if level is None:
        raise StudentError("attention")
    return level


async def set_attention(*, session: AsyncSession, school_id: int, student_id: int, level: str, reason: str,
                        viewer: Viewer, now: datetime | None = None) -> Student:
    """Set the student's attention level with the reason; the file keeps every earlier level."""
    viewer.require_file_access()
    now = now or utcnow()
    level = parse_level(level)
    reason = reason.strip()
    if not reason:
        raise StudentError("reason")
    student = await get_student(session=session, school_id=school_id, student_id=student_id)
    if student.erased_at is not None:
        raise StudentError("erased")
    session.add(StudentEvent(student_id=student.id, kind="attention", at=now, actor_id=viewer.person_id,
                             detail={"from": student.attention, "to": level, "reason": reason[:2000]}))
    student.attention, student.attention_reason, student.updated_at = level, reason[:2000], now
    audit.record(session, actor=viewer.actor, action="student.attention", target=f"student:{student.id}",
                 school_id=school_id, address=viewer.address)
    await notices.file_updated(session=session, student=student, actor_id=viewer.person_id, now=now)
    return student
