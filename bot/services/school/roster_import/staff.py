"""Staff (教职工): 姓名, 角色, 手机. Roles written in Chinese (心理老师、班主任 …); a head teacher's class
comes from the classes file. Members' roles are the members file's, never set here."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Person
from bot.db.models_people import MEMBER_ROLES, STAFF_ROLES
from bot.services.school import audit
from bot.services.school.roster_import.base import Column, KindPlan, Problem, Row, RowPlan, change, split_words
from bot.texts import school as texts

NAME = "staff"
TITLE = "教职工"
COLUMNS = (
    Column("name", "姓名", required=True, aliases=("名字", "教师姓名"), example="陈老师"),
    Column("roles", "角色", required=True, aliases=("职务", "身份"), example="心理老师、危机干预小组负责人"),
    Column("phone", "手机", aliases=("电话", "手机号", "联系电话"), example="13812345678", limit=32),
)
EXAMPLES = (("陈老师", "心理老师", "13812345678"), ("刘校长", "危机干预小组负责人", "0371-12345678"),
            ("王老师", "班主任", ""))
ROLE_WORDS = {
    "心理老师": "counsellor", "心理教师": "counsellor", "专职心理教师": "counsellor", "兼职心理教师": "counsellor",
    "心理辅导老师": "counsellor", "counsellor": "counsellor",
    "危机干预小组负责人": "leader", "危机干预小组组长": "leader", "组长": "leader", "校长": "leader",
    "德育主任": "leader", "领导": "leader", "leader": "leader",
    "班主任": "head_teacher", "head_teacher": "head_teacher",
    "管理员": "admin", "admin": "admin",
}
STAFF_CHOICES = "心理老师、危机干预小组负责人、班主任、管理员"
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[1-9][0-9]{1,2}-?[0-9]{7,8}(-[0-9]{1,6})?")


def parse_phone(text: str) -> str | None | bool:
    """A mobile (11 digits) or a landline with its area code, spaces dropped; empty -> None; bad -> False."""
    flat = re.sub(r"[\s()（）]", "", text)
    if not flat:
        return None
    if flat.startswith("+86"):
        flat = flat[3:]
    if _MOBILE.fullmatch(flat) or _LANDLINE.fullmatch(flat):
        return flat
    return False


def parse_roles(text: str) -> tuple[set[str], list[str]]:
    """The staff roles named, and the words not understood."""
    roles, unknown = set(), []
    for word in split_words(text):
        role = ROLE_WORDS.get(word) or ROLE_WORDS.get(word.lower())
        if role is None:
            unknown.append(word)
        else:
            roles.add(role)
    return roles, unknown


def roles_text(roles: set[str]) -> str:
    """Roles as the preview names them."""
    return "、".join(texts.ROLE_WORDS[r] for r in sorted(roles)) or "（无）"


async def plan(*, session: AsyncSession, school_id: int, rows: list[Row], actor: str) -> KindPlan:
    """Plan the rows against the school's people (matched by name)."""
    people = {p.name: p for p in (await session.execute(select(Person).where(Person.school_id == school_id))).scalars()}
    result = KindPlan()
    seen: dict[str, int] = {}
    ops: list[tuple[str, set[str], str | None, Person | None]] = []
    for number, v in rows:
        name = v["name"]
        roles, unknown = parse_roles(v["roles"])
        phone = parse_phone(v.get("phone", ""))
        existing = people.get(name)
        reasons = []
        if name in seen:
            reasons.append(texts.ROW_DUPLICATE.format(row=seen[name], column="姓名"))
        if unknown:
            reasons.append(texts.ROW_BAD_ROLE.format(value="、".join(unknown), choices=STAFF_CHOICES))
        elif not roles:
            reasons.append(texts.ROW_NO_STAFF_ROLE.format(choices=STAFF_CHOICES))
        if phone is False:
            reasons.append(texts.ROW_BAD_PHONE.format(value=v.get("phone", "")))
        if existing is not None and existing.role_set & set(MEMBER_ROLES):
            reasons.append(texts.ROW_MEMBER_IS_STAFF.format(name=name))
        seen.setdefault(name, number)
        if reasons:
            result.problems.append(Problem(number, "；".join(reasons)))
            continue
        new_phone = phone if isinstance(phone, str) else (existing.phone if existing else None)
        ops.append((name, roles, new_phone, existing))
        if existing is None:
            detail = (roles_text(roles),) + ((f"手机 {new_phone}",) if new_phone else ())
            result.rows.append(RowPlan(number, "add", name, detail))
            continue
        old_roles = existing.role_set & STAFF_ROLES
        diffs = []
        if old_roles != roles:
            diffs.append(change("角色", roles_text(old_roles), roles_text(roles)))
        if (existing.phone or None) != new_phone:
            diffs.append(change("手机", existing.phone, new_phone))
        result.rows.append(RowPlan(number, "change" if diffs else "same", name, tuple(diffs)))

    async def apply(session: AsyncSession) -> None:
        for name, roles, phone, person in ops:
            if person is None:
                person = Person(school_id=school_id, name=name, roles=",".join(sorted(roles)), phone=phone)
                session.add(person)
                await session.flush()
                audit.record(session, actor=actor, action="roster.person.add", target=f"person:{person.id}",
                             school_id=school_id)
                continue
            keep = person.role_set - STAFF_ROLES
            if person.role_set != keep | roles or person.phone != phone:
                person.roles, person.phone = ",".join(sorted(keep | roles)), phone
                if "head_teacher" not in roles and person.group_id is not None and not keep:
                    person.group_id = None  # no longer a head teacher: no class of their own
                audit.record(session, actor=actor, action="roster.person.change", target=f"person:{person.id}",
                             school_id=school_id)

    result.apply = apply
    return result
