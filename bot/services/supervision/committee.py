"""Committee members bound per class and dorm (now), and the classes and dorms with none bound."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Group, Identity, Person
from bot.db.models_people import MEMBER_ROLES
from bot.services.supervision.labels import SCHOOL
from bot.services.supervision.table import Section, protected, titled
from bot.texts.school import KIND_NAMES


async def unbound_groups(*, session: AsyncSession, school_id: int) -> list[Group]:
    """Classes and dorms without a single bound committee member (the doctor asks this too)."""
    _members, bound = await _counts(session, school_id)
    groups = (await session.execute(select(Group).where(Group.school_id == school_id)
                                    .order_by(Group.kind, Group.name))).scalars()
    return [g for g in groups if not bound[g.id]]


async def _counts(session: AsyncSession, school_id: int) -> tuple[Counter[int], Counter[int]]:
    people = (await session.execute(select(Person).where(Person.school_id == school_id))).scalars().all()
    with_identity = {pid for (pid,) in (await session.execute(select(Identity.person_id).join(
        Person, Person.id == Identity.person_id).where(Person.school_id == school_id))).all()}
    members: Counter[int] = Counter()
    bound: Counter[int] = Counter()
    for p in people:
        if p.role_set & set(MEMBER_ROLES) and p.group_id is not None:
            members[p.group_id] += 1
            bound[p.group_id] += p.id in with_identity
    return members, bound


async def sections(*, session: AsyncSession, school_id: int) -> list[Section]:
    """Bound members per class and dorm; the list of those with none."""
    members, bound = await _counts(session, school_id)
    groups = list((await session.execute(select(Group).where(Group.school_id == school_id)
                                         .order_by(Group.kind, Group.name))).scalars())
    table = titled("committee_bound", ["班级或寝室", "类型", "心理委员", "已绑定"], below_school=True)
    shown = protected([[members[g.id], bound[g.id]] for g in groups])
    table.rows += [[g.name, KIND_NAMES.get(g.kind, g.kind), *cells] for g, cells in zip(groups, shown, strict=True)]
    table.rows.append([SCHOOL, "", sum(members.values()), sum(bound.values())])
    none = titled("committee_none", ["班级或寝室", "类型"])
    none.rows += [[g.name, KIND_NAMES.get(g.kind, g.kind)] for g in groups if not bound[g.id]]
    return [table, none]
