"""The Chinese names of what the figures count."""

from __future__ import annotations

LEVELS = ("red", "orange", "yellow", "none")
LEVEL_NAMES = {"red": "红色", "orange": "橙色", "yellow": "黄色", "none": "无风险"}
SOURCES = ("concern", "mailbox", "checkin")
SOURCE_NAMES = {"concern": "心理委员报告", "mailbox": "心理信箱", "checkin": "周报"}
CATEGORY_NAMES = {
    "suicide": "自杀意念或行为", "self_harm": "自伤", "violence": "暴力", "abuse": "虐待", "sexual": "性侵害或骚扰",
    "bullying": "欺凌", "family": "家庭", "loss": "丧失与哀伤", "disaster": "灾害", "distress": "情绪困扰",
    "none": "无风险内容",
}
OUTCOME_NAMES = {"resolved": "已解决", "referred": "已转介", "false_report": "误报", "duplicate": "重复"}
ROLE_NAMES = {"member_class": "班级心理委员", "member_dorm": "寝室心理委员"}
TOTAL = "合计"
SCHOOL = "全校"


def grade_name(grade: int | None) -> str:
    """7 -> 初一, 10 -> 高一, 3 -> 三年级; None -> 未定年级."""
    if grade is None:
        return "未定年级"
    if grade >= 10:
        return "高" + "一二三"[grade - 10]
    if grade >= 7:
        return "初" + "一二三"[grade - 7]
    return "一二三四五六"[grade - 1] + "年级"
