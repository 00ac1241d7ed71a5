"""Small helpers the counsellor's commands share (待处理, 案例, 帮助, the case actions); texts in bot/texts/."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.events import Reply
from bot.texts import counsellor as T
from bot.texts.counsellor import OPT_PENDING
from bot.texts.menu import OPT_MENU
from handlers.base import Result, State

# For code written against the old names: the catalogue's own dicts (an override changes them in place) and labels.
STATUS_NAMES = T.STATUS_NAMES
OUTCOME_NAMES, OUTCOME_WORDS, OUTCOME_LIST = T.OUTCOME_NAMES, T.OUTCOME_WORDS, T.OUTCOME_LIST


def say(text: str, *options: str) -> Result:
    """One reply to a counsellor, with 待处理 and 菜单 after any given buttons."""
    return Result([Reply(text, tuple(options) + (OPT_PENDING, OPT_MENU))], State.MENU)


def clock(moment: datetime, zone: ZoneInfo) -> str:
    """`12-01 14:03` in school time."""
    return f"{moment.astimezone(zone):%m-%d %H:%M}"


def zone_name(zone: ZoneInfo) -> str:
    """How the school's time zone is named to a reader."""
    return T.SCHOOL_TIME if zone.key == "Asia/Shanghai" else zone.key


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
