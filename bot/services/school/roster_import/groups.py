"""Classes and dorms (班级和寝室): 名称, 类型, 年级, 班主任. A head teacher's class is their group."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Group, Person
from bot.db.models_people import MEMBER_ROLES
from bot.services.school import audit
from bot.services.school.grades import grade_from_name, grade_of
from bot.services.school.roster_import.base import Column, KindPlan, Problem, Row, RowPlan, change
from bot.texts import school as texts

NAME = "classes"
TITLE = "班级和寝室"
COLUMNS = (
    Column("name", "名称", required=True, aliases=("班级", "寝室", "班级或寝室", "班级名称", "寝室名称"),
           example="初二(3)班"),
    Column("kind", "类型", aliases=("班级/寝室",), example="班级"),
    Column("grade", "年级", example="8"),
    Column("head_teacher", "班主任", example="王老师"),
)
EXAMPLES = (("初二(3)班", "班级", "8", "王老师"), ("女生宿舍 5-302", "寝室", "", ""))
KIND_WORDS = {"班级": "class", "班": "class", "class": "class", "寝室": "dorm", "宿舍": "dorm", "dorm": "dorm"}


def parse_kind(text: str, name: str) -> str | None:
    """班级 / 寝室 (or class / dorm); empty: a dorm when the name says 寝 or 宿舍, else a class."""
    if not text:
        return "dorm" if ("寝" in name or "宿舍" in name) else "class"
    return KIND_WORDS.get(text.strip().lower())


_GRADE = re.compile(r"([初高][一二三123]|([一二三四五六七八九]|1[0-2]|[1-9])\s*年级|[一二三四五六七八九])")


def parse_grade(text: str) -> int | None | str:
    """1-12, 初二, 高一, 三年级 -> the grade; empty -> None; anything else -> 'bad'."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else "bad"
    if not _GRADE.fullmatch(text):
        return "bad"
    return grade_from_name(text if "年级" in text or text[:1] in "初高" else text + "年级") or "bad"


@dataclass
class _Op:
    row: int
    name: str
    kind: str
    grade: int | None
    head: str
    group: Group | None


async def plan(*, session: AsyncSession, school_id: int, rows: list[Row], actor: str) -> KindPlan:
    """Plan the rows against the school's classes, dorms and people."""
    groups = {g.name: g for g in (await session.execute(select(Group).where(Group.school_id == school_id))).scalars()}
    people = {p.name: p for p in (await session.execute(select(Person).where(Person.school_id == school_id))).scalars()}
    heads = {p.group_id: p for p in people.values() if "head_teacher" in p.role_set and p.group_id is not None}
    result = KindPlan()
    seen: dict[str, int] = {}
    head_rows: dict[str, int] = {}
    ops: list[_Op] = []
    for number, v in rows:
        name = v["name"]
        existing = groups.get(name)
        kind = (parse_kind(v.get("kind", ""), name) if v.get("kind") or existing is None
                else existing.kind)
        grade = parse_grade(v.get("grade", ""))
        head = v.get("head_teacher", "")
        reasons = []
        if name in seen:
            reasons.append(texts.ROW_DUPLICATE.format(row=seen[name], column="名称"))
        if kind is None:
            reasons.append(texts.ROW_BAD_KIND.format(value=v.get("kind", "")))
        if grade == "bad":
            reasons.append(texts.ROW_BAD_GRADE.format(value=v.get("grade", "")))
        if head and head in head_rows:
            reasons.append(texts.ROW_HEAD_TWICE.format(name=head, row=head_rows[head]))
        if head and head in people and people[head].role_set & set(MEMBER_ROLES):
            reasons.append(texts.ROW_HEAD_IS_MEMBER.format(name=head))
        seen.setdefault(name, number)
        if reasons:
            result.problems.append(Problem(number, "；".join(reasons)))
            continue
        if head:
            head_rows[head] = number
        assert kind is not None and grade != "bad"
        want_grade = grade if grade is not None else (existing.grade if existing else None)
        op = _Op(number, name, kind, want_grade if isinstance(want_grade, int) else None, head, existing)
        ops.append(op)
        if existing is None:
            detail = [f"{texts.KIND_NAMES[kind]}"] + ([f"年级 {op.grade}"] if op.grade else [])
            detail += [f"班主任 {head}" + ("（新建）" if head not in people else "")] if head else []
            result.rows.append(RowPlan(number, "add", name, tuple(detail)))
            continue
        diffs = []
        if existing.kind != kind:
            diffs.append(change("类型", texts.KIND_NAMES[existing.kind], texts.KIND_NAMES[kind]))
        if existing.grade != op.grade:
            diffs.append(change("年级", grade_of(existing), op.grade))
        current = heads.get(existing.id)
        if head and (current is None or current.name != head):
            new_head = head + ("（新建）" if head not in people else "")
            diffs.append(change("班主任", current.name if current else "", new_head))
        result.rows.append(RowPlan(number, "change" if diffs else "same", name, tuple(diffs)))

    async def apply(session: AsyncSession) -> None:
        for op in ops:
            group = op.group
            if group is None:
                group = Group(school_id=school_id, name=op.name, kind=op.kind, grade=op.grade)
                session.add(group)
                await session.flush()
                audit.record(session, actor=actor, action="roster.group.add", target=f"group:{group.id}",
                             school_id=school_id)
            elif (group.kind, group.grade) != (op.kind, op.grade):
                group.kind, group.grade = op.kind, op.grade
                audit.record(session, actor=actor, action="roster.group.change", target=f"group:{group.id}",
                             school_id=school_id)
            if not op.head:
                continue
            current = heads.get(group.id)
            if current is not None and current.name == op.head:
                continue
            person = people.get(op.head)
            if person is None:
                person = Person(school_id=school_id, name=op.head, roles="head_teacher")
                session.add(person)
                people[op.head] = person
                action = "roster.person.add"
            else:
                person.roles = ",".join(sorted(person.role_set | {"head_teacher"}))
                action = "roster.person.change"
            if current is not None:
                current.group_id = None
                audit.record(session, actor=actor, action="roster.person.change", target=f"person:{current.id}",
                             school_id=school_id)
            person.group_id = group.id
            heads[group.id] = person
            await session.flush()
            audit.record(session, actor=actor, action=action, target=f"person:{person.id}", school_id=school_id)

    result.apply = apply
    return result
