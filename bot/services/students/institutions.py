"""The school's list of hospitals and clinics it refers to (psychiatric department, phone)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Institution
from bot.services.school import audit
from bot.services.students.errors import StudentError
from bot.services.students.guardians import clean_phone
from bot.services.students.viewer import Viewer


async def add_institution(*, session: AsyncSession, school_id: int, name: str, department: str = "",
                          phone: str = "", viewer: Viewer) -> Institution:
    """Add a hospital or clinic to the school's list."""
    viewer.require_file_access()
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise StudentError("name")
    row = Institution(school_id=school_id, name=name, department=" ".join(department.split())[:100],
                      phone=clean_phone(name, phone))
    session.add(row)
    await session.flush()
    audit.record(session, actor=viewer.actor, action="institution.add", target=f"institution:{row.id}",
                 school_id=school_id, address=viewer.address)
    return row


async def list_institutions(*, session: AsyncSession, school_id: int) -> list[Institution]:
    """The school's institutions in the order added."""
    return list((await session.execute(
        select(Institution).where(Institution.school_id == school_id).order_by(Institution.id))).scalars())


async def find_institution(*, session: AsyncSession, school_id: int, ref: str) -> Institution:
    """An institution by id or by name (or the start of one); StudentError('institution') otherwise."""
    ref = ref.strip()
    rows = await list_institutions(session=session, school_id=school_id)
    hits = [r for r in rows if (ref.isdigit() and r.id == int(ref)) or r.name == ref]
    hits = hits or [r for r in rows if ref and r.name.startswith(ref)]
    if len(hits) != 1:
        raise StudentError("institution", ref=ref[:40])
    return hits[0]
