"""Committee members (心理委员): 姓名, 班级或寝室, 角色. The class or dorm must be imported first; the role
is read from the group's kind when the cell is empty. Built for 50,000 rows: one read of the school,
one bulk insert of the new people."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AuditEntry, Group, Person
from bot.db.models_people import STAFF_ROLES
from bot.services.school.roster_import.base import Column, KindPlan, Problem, Row, RowPlan, change
from bot.texts import school as texts

NAME = "members"
TITLE = "心理委员"
COLUMNS = (
    Column("name", "姓名", required=True, aliases=("名字", "学生姓名"), example="李小雨"),
    Column("group", "班级或寝室", required=True, aliases=("班级", "寝室", "班级/寝室"), example="初二(3)班"),
    Column("role", "角色", aliases=("职务", "类型"), example="班级心理委员"),
)
EXAMPLES = (("李小雨", "初二(3)班", "班级心理委员"), ("王晓晴", "女生宿舍 5-302", "寝室心理委员"))
ROLE_WORDS = {"班级心理委员": "member_class", "心理委员": "", "寝室心理委员": "member_dorm",
              "宿舍心理委员": "member_dorm", "member_class": "member_class", "member_dorm": "member_dorm"}
ROLE_OF_KIND = {"class": "member_class", "dorm": "member_dorm"}


async def plan(*, session: AsyncSession, school_id: int, rows: list[Row], actor: str) -> KindPlan:
    """Plan the rows against the school's classes, dorms and people (matched by name)."""
    groups = {g.name: g for g in (await session.execute(select(Group).where(Group.school_id == school_id))).scalars()}
    group_names = {g.id: g.name for g in groups.values()}
    people = {p.name: p for p in (await session.execute(select(Person).where(Person.school_id == school_id))).scalars()}
    result = KindPlan()
    seen: dict[str, int] = {}
    adds: list[dict[str, object]] = []
    changes: list[tuple[Person, str, int]] = []
    for number, v in rows:
        name, group = v["name"], groups.get(v["group"])
        word = v.get("role", "")
        role = ROLE_WORDS.get(word, None) if word else ""
        reasons = []
        if name in seen:
            reasons.append(texts.ROW_DUPLICATE.format(row=seen[name], column="姓名"))
        if group is None:
            reasons.append(texts.ROW_UNKNOWN_GROUP.format(name=v["group"]))
        if role is None:
            reasons.append(texts.ROW_BAD_ROLE.format(value=word, choices="班级心理委员、寝室心理委员"))
        elif group is not None:
            role = role or ROLE_OF_KIND[group.kind]
            if role != ROLE_OF_KIND[group.kind]:
                reasons.append(texts.ROW_ROLE_GROUP.format(role=texts.ROLE_WORDS[role], group=group.name,
                                                           kind=texts.KIND_NAMES[group.kind]))
        existing = people.get(name)
        if existing is not None and existing.role_set & STAFF_ROLES:
            reasons.append(texts.ROW_MEMBER_IS_STAFF.format(name=name))
        seen.setdefault(name, number)
        if reasons:
            result.problems.append(Problem(number, "；".join(reasons)))
            continue
        assert group is not None and role
        if existing is None:
            adds.append({"school_id": school_id, "name": name, "roles": role, "group_id": group.id})
            result.rows.append(RowPlan(number, "add", name, (group.name, texts.ROLE_WORDS[role])))
            continue
        diffs = []
        if existing.group_id != group.id:
            diffs.append(change("班级或寝室", group_names.get(existing.group_id or 0, ""), group.name))
        if existing.role_set != {role}:
            diffs.append(change("角色", "、".join(texts.ROLE_WORDS.get(r, r) for r in sorted(existing.role_set)),
                                texts.ROLE_WORDS[role]))
        if diffs:
            changes.append((existing, role, group.id))
        result.rows.append(RowPlan(number, "change" if diffs else "same", name, tuple(diffs)))

    async def apply(session: AsyncSession) -> None:
        audits: list[dict[str, object]] = []
        if adds:
            ids = (await session.execute(insert(Person).returning(Person.id), adds)).scalars().all()
            audits += [{"actor": actor, "action": "roster.person.add", "target": f"person:{i}",
                        "school_id": school_id} for i in ids]
        for person, role, group_id in changes:
            await session.execute(update(Person).where(Person.id == person.id).values(roles=role, group_id=group_id))
            audits.append({"actor": actor, "action": "roster.person.change", "target": f"person:{person.id}",
                           "school_id": school_id})
        if audits:
            await session.execute(insert(AuditEntry), audits)

    result.apply = apply
    return result
