"""A case's timeline in words, for people reading it in chat: never raw JSON or event names."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.db.models import CaseEvent
from bot.services.crisis.paging import LEVEL_NAMES, excerpt
from bot.services.schedule.schedule_text import day_text
from handlers.staff_text import OUTCOME_NAMES, STATUS_NAMES

ANSWERS = {"yes": "肯定（已按红色处理）", "no": "否定", "other": "未明确"}
DELIVERY = {"sent": "已送达", "undeliverable": "未能送达"}
WORDS = {
    "opened": "开案（{level}）",
    "mailbox_note": "收到匿名来信（{level}）",
    "report": "收到心理委员报告（{level}）",
    "escalation_started": "开始预警（{level}）",
    "paged": "已通知 {person}",
    "repaged": "再次提醒 {person}（接手后没有新进展）",
    "acknowledged": "{actor} 确认接手",
    "note": "{actor} 记录：{text}",
    "reply": "{actor} 回复学生：{text}",
    "follow_up_set": "{actor} 约定跟进：{on}",
    "follow_up_cancelled": "结案时取消了 {reminders} 条跟进提醒",
    "level_raised": "级别升高：{from} → {to}",
    "student_message": "学生发来新消息（{level}）",
    "direct_answer": "学生回答「是否有伤害自己或结束生命的想法」：{answer}",
    "sender_denied": "学生说是玩笑，已再次关心，案例保持开放",
    "closed": "{actor} 结案（{outcome}）{note}",
    "closed_unacknowledged": "结案时还没有人确认接手，已告诉收到预警的老师",
    "reopened": "学生在结案后再次来信，案例重新打开",
    "unreachable": "无法联系 {person}（没有绑定任何渠道）",
    "step_unreachable": "这一级的预警都没能送达，已转到下一级",
    "nobody_reached": "预警链上没有人能联系到，已通知全部心理老师和负责人",
    "escalation_exhausted": "预警链已走完，仍无人接手",
    "escalation_late": "预警比计划晚发出",
    "delivery": "预警{state}",
    "duty_gap": "值班表有空缺，跳过这一级",
    "no_backup": "没有备班老师，跳过这一级",
    "no_leaders": "没有设置危机干预小组负责人，跳过这一级",
    "no_head_teacher": "这个班没有班主任账号，跳过这一级",
    "unknown_person": "预警对象不存在，跳过这一级",
    "level_changed": "{actor} 更改级别：{from} → {to}（原因：{reason}）",
    "status_changed": "{actor} 更改状态：{status}",
    "assigned": "{actor} 把案例转给 {person}",
    "shared": "{actor} 与班主任 {person} 共享",
    "duplicate_of": "{actor} 标记为案例 #{case} 的重复",
    "duplicate_linked": "{actor} 把案例 #{case} 标记为本案例的重复",
}
OTHER = "其他记录"


def event_text(event: CaseEvent, names: dict[int, str]) -> str:
    """One timeline line in words."""
    detail: dict[str, Any] = dict(event.detail or {})
    on = detail.get("on")
    values = {
        "level": LEVEL_NAMES.get(str(detail.get("level")), ""),
        "from": LEVEL_NAMES.get(str(detail.get("from")), ""), "to": LEVEL_NAMES.get(str(detail.get("to")), ""),
        "person": detail.get("person") or "", "reminders": detail.get("reminders", 0),
        "actor": names.get(event.actor_id or 0) or detail.get("by") or "",
        "text": excerpt(str(detail.get("text") or ""), 80),
        "on": day_text(date.fromisoformat(on)) if isinstance(on, str) else "",
        "answer": ANSWERS.get(str(detail.get("answer")), ""),
        "outcome": OUTCOME_NAMES.get(str(detail.get("outcome")), ""),
        "note": "：" + excerpt(str(detail["text"]), 80) if detail.get("text") else "",
        "state": DELIVERY.get(str(detail.get("state")), "送达情况未知"),
        "reason": excerpt(str(detail.get("reason") or ""), 80), "case": detail.get("case", ""),
        "status": STATUS_NAMES.get(str(detail.get("to")), ""),
    }
    template = WORDS.get(event.kind)
    return template.format(**values).rstrip() if template else OTHER
