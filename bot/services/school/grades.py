"""A class's grade (年级, 1-12): set from the roster or by hand, else read from names like 初二(3)班."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Group

_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_STAGE = re.compile(r"(初|高)([一二三123])")
_YEAR = re.compile(r"([一二三四五六七八九]|1[0-2]|[1-9])\s*年级")


def grade_from_name(name: str) -> int | None:
    """初二(3)班 -> 8, 高一 -> 10, 三年级 -> 3, 七年级 -> 7; None when the name does not say."""
    if m := _STAGE.search(name):
        n = _DIGITS.get(m.group(2)) or int(m.group(2))
        return (6 if m.group(1) == "初" else 9) + n
    if m := _YEAR.search(name):
        return _DIGITS.get(m.group(1)) or int(m.group(1))
    return None


def grade_of(group: Group) -> int | None:
    """The grade set for a class, or the one its name says."""
    return group.grade if group.grade is not None else grade_from_name(group.name)


async def set_grade(*, session: AsyncSession, school_id: int, name: str, grade: int) -> Group:
    """Set a class's grade by its name (ValueError when there is no such group or the grade is not 1-12)."""
    if not 1 <= grade <= 12:
        raise ValueError(f"grade {grade}: write 1-12 (初一 is 7, 高一 is 10)")
    group = (await session.execute(select(Group).where(Group.school_id == school_id, Group.name == name.strip())
                                   )).scalar_one_or_none()
    if group is None:
        raise ValueError(f"no class or dorm named {name!r}")
    group.grade = grade
    return group


async def list_groups(*, session: AsyncSession, school_id: int) -> list[Group]:
    """Every class and dorm of the school."""
    return list((await session.execute(select(Group).where(Group.school_id == school_id)
                                       .order_by(Group.kind, Group.name))).scalars())
