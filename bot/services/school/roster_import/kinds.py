"""The kinds of roster file, one module each and one line each here.

Students (name, class, dorm, guardians) are written through bot/services/students/ (students.py).
"""

from __future__ import annotations

from types import ModuleType

from bot.services.school.roster_import import groups, members, staff, students

KINDS: dict[str, ModuleType] = {
    groups.NAME: groups,  # classes and dorms: 名称, 类型, 年级, 班主任
    staff.NAME: staff,  # 姓名, 角色, 手机
    members.NAME: members,  # committee members: 姓名, 班级或寝室, 角色
    students.NAME: students,  # 姓名, 班级, 寝室, 学号, 班主任, 监护人1姓名/关系/电话 …
}
