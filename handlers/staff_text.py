"""Texts and small helpers the counsellor's commands share (待处理, 案例, 帮助 and the case actions)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.events import Reply
from handlers.base import Result, State

STAFF_ONLY = "只有心理老师和危机干预小组成员可以使用这个命令。"
STATUS_NAMES = {"new": "未接手", "acknowledged": "已接手", "in_progress": "处理中", "monitoring": "观察中",
                "closed": "已结案"}
OUTCOME_WORDS = {
    "resolved": "resolved", "已解决": "resolved", "解决": "resolved",
    "referred": "referred", "已转介": "referred", "转介": "referred",
    "false_report": "false_report", "误报": "false_report",
    "duplicate": "duplicate", "重复": "duplicate",
}
OUTCOME_NAMES = {"resolved": "已解决", "referred": "已转介", "false_report": "误报", "duplicate": "重复"}
OUTCOME_LIST = "已解决、已转介、误报、重复"
USAGE = {
    "收到": "用法：收到 <案例号>，例如「收到 12」。",
    "回复": "用法：回复 <编号或案例号> <内容>，例如「回复 K7M2QX9P 你好，我是心理老师……」或「回复 12 你好……」。",
    "记录": "用法：记录 <案例号> <内容>，例如「记录 12 已与班主任沟通」。",
    "结案": f"用法：结案 <案例号> <结果> [说明]，结果写 {OUTCOME_LIST} 之一，例如「结案 12 已解决 已与家长沟通」。",
    "跟进": "用法：跟进 <案例号> <日期>，例如「跟进 12 明天」「跟进 12 下周一」「跟进 12 12/05」。",
    "案例": "用法：案例 <案例号>，例如「案例 12」。",
}
SCHOOL_TIME = "北京时间"


def say(text: str, *options: str) -> Result:
    """One reply to a counsellor, with 待处理 and 菜单 after any given buttons."""
    return Result([Reply(text, tuple(options) + ("待处理", "菜单"))], State.MENU)


def clock(moment: datetime, zone: ZoneInfo) -> str:
    """`12-01 14:03` in school time."""
    return f"{moment.astimezone(zone):%m-%d %H:%M}"


def zone_name(zone: ZoneInfo) -> str:
    """How the school's time zone is named to a reader."""
    return SCHOOL_TIME if zone.key == "Asia/Shanghai" else zone.key


def ago(since: datetime, now: datetime) -> str:
    """`45分钟`, `3小时`, `2天5小时`: how long something has been open."""
    minutes = max(0, int((now - since) / timedelta(minutes=1)))
    if minutes < 60:
        return f"{minutes}分钟"
    hours = minutes // 60
    if hours < 24:
        return f"{hours}小时"
    return f"{hours // 24}天{hours % 24}小时" if hours % 24 else f"{hours // 24}天"


def split_text(text: str, limit: int = 1500) -> list[str]:
    """Long text over several messages, cut at line ends where possible, never dropped."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        if current and len(current) + 1 + len(line) > limit:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current or not parts:
        parts.append(current)
    return parts
