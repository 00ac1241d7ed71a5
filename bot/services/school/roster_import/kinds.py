"""The kinds of roster file, one module each and one line each here.

Students (name, class, dorm, guardians) come with the students branch (bot/services/students/):
one more module shaped like members.py and one more line below.
"""

from __future__ import annotations

from types import ModuleType

from bot.services.school.roster_import import groups, members, staff

KINDS: dict[str, ModuleType] = {
    groups.NAME: groups,  # classes and dorms: 名称, 类型, 年级, 班主任
    staff.NAME: staff,  # 姓名, 角色, 手机
    members.NAME: members,  # committee members: 姓名, 班级或寝室, 角色
}
