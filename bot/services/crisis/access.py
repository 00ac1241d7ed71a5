"""Who may see and act on which case: every lookup is scoped to the person's own school.

Counsellors and leaders see and act on every case of their school; a head teacher sees only the
cases shared with them and never an anonymous note; an admin sees no case content unless also a
counsellor or leader. Another school's case is as unknown as one that does not exist.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Case, Person
from bot.db.models_people import CASE_ROLES
from bot.services.crisis.casework import shared_with


class Refused(Exception):
    """unknown (404: no such case in this school) or forbidden (403)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def handles_cases(person: Person) -> bool:
    """Counsellors and leaders work on every case of their school."""
    return bool(person.role_set & set(CASE_ROLES))


def sees_cases(person: Person) -> bool:
    """Who may open any case page at all (head teachers: the shared ones)."""
    return handles_cases(person) or "head_teacher" in person.role_set


async def case_for(*, session: AsyncSession, person: Person, case_id: int, act: bool = False) -> Case:
    """The case if the person may see it (act: and work on it); Refused otherwise."""
    case = await session.get(Case, case_id) if 0 < case_id < 2**31 else None
    if case is None or case.school_id != person.school_id:
        raise Refused("unknown")
    if handles_cases(person):
        return case
    if act or "head_teacher" not in person.role_set or case.source == "mailbox":
        raise Refused("forbidden")
    if case.id not in await shared_with(session=session, person=person):
        raise Refused("forbidden")
    return case
