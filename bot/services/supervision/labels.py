"""What the figures count, in the order they are shown; the Chinese names are in the catalogue."""

from __future__ import annotations

from bot.texts.school import (  # noqa: F401 - the names the figures use, re-exported
    CATEGORY_NAMES,
    LEVEL_NAMES,
    MAILBOX_ROW,
    NO_GRADE,
    NO_GROUP,
    OUTCOME_NAMES,
    SCHOOL,
    SOURCE_NAMES,
    TOTAL,
)

LEVELS = ("red", "orange", "yellow", "none")
SOURCES = ("concern", "mailbox", "checkin")
ROLE_NAMES = {"member_class": "班级心理委员", "member_dorm": "寝室心理委员"}


def grade_name(grade: int | None) -> str:
    """7 -> 初一, 10 -> 高一, 3 -> 三年级; None -> 未定年级."""
    if grade is None:
        return NO_GRADE
    if grade >= 10:
        return "高" + "一二三"[grade - 10]
    if grade >= 7:
        return "初" + "一二三"[grade - 7]
    return "一二三四五六"[grade - 1] + "年级"
