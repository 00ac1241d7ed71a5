"""Guardians of a student: name, relation, phone (a number, checked before anything is written)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Guardian
from bot.services.students.errors import StudentError

_PHONE_CHARS = re.compile(r"^\+?[0-9][0-9\- ]*$")


@dataclass(frozen=True)
class GuardianIn:
    """A guardian as given (CLI, import, console form)."""

    name: str
    relation: str
    phone: str = ""


def clean_phone(name: str, phone: str) -> str:
    """The phone as stored (digits, a leading + kept); StudentError('phone') when it is not a number."""
    raw = phone.strip()
    if not raw:
        return ""
    digits = re.sub(r"[\- ]", "", raw)
    if not _PHONE_CHARS.match(raw) or not 7 <= len(digits.lstrip("+")) <= 15:
        raise StudentError("phone", name=name, phone=raw[:40])
    return digits


def checked(guardians: list[GuardianIn]) -> list[GuardianIn]:
    """Every guardian validated (name, relation, phone) before any is written."""
    out = []
    for g in guardians:
        name, relation = " ".join(g.name.split()), " ".join(g.relation.split())
        if not name or not relation or len(name) > 50 or len(relation) > 20:
            raise StudentError("guardian")
        out.append(GuardianIn(name=name, relation=relation, phone=clean_phone(name, g.phone)))
    return out


def parse_guardian(text: str) -> GuardianIn:
    """`王芳,母亲,13800000000` or `王芳 母亲 13800000000` as one guardian."""
    parts = [p for p in re.split(r"[,，\s]+", text.strip()) if p]
    if len(parts) < 2 or len(parts) > 3:
        raise StudentError("guardian")
    return GuardianIn(name=parts[0], relation=parts[1], phone=parts[2] if len(parts) == 3 else "")


async def replace_guardians(*, session: AsyncSession, student_id: int, guardians: list[GuardianIn]) -> list[Guardian]:
    """Set the student's guardians to exactly these (already checked)."""
    await session.execute(delete(Guardian).where(Guardian.student_id == student_id))
    rows = [Guardian(student_id=student_id, name=g.name, relation=g.relation, phone=g.phone) for g in guardians]
    session.add_all(rows)
    await session.flush()
    return rows


async def guardians_of(*, session: AsyncSession, student_id: int) -> list[Guardian]:
    """The student's guardians in the order given."""
    return list((await session.execute(
        select(Guardian).where(Guardian.student_id == student_id).order_by(Guardian.id))).scalars())


async def find_guardian(*, session: AsyncSession, student_id: int, ref: str) -> Guardian | None:
    """A guardian of the student by name or relation (母亲), or None."""
    ref = ref.strip()
    for g in await guardians_of(session=session, student_id=student_id):
        if ref in (g.name, g.relation):
            return g
    return None
