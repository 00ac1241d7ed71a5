"""Times as schedules write them (`Fri 16:00`, `Mon,Wed,Fri 16:00`, ISO 8601) and as people read them."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_SCHEDULE = re.compile(r"^\s*([A-Za-z]{3}(?:\s*[,-]\s*[A-Za-z]{3})*)\s+(\d{1,2}):(\d{2})\s*$")


def parse_schedule(text: str, zone: ZoneInfo) -> CronTrigger:
    """`Fri 16:00` or `Mon,Wed,Fri 16:00` (also `Mon-Fri 07:30`) -> a cron trigger in school time."""
    m = _SCHEDULE.match(text or "")
    if not m or int(m.group(2)) > 23 or int(m.group(3)) > 59:
        raise ValueError(f"schedule {text!r}: write days and a time, e.g. \"Fri 16:00\" or \"Mon,Wed,Fri 16:00\"")
    days = re.sub(r"\s+", "", m.group(1)).lower()
    if any(d not in DAYS for d in re.split(r"[,-]", days)):
        raise ValueError(f"schedule {text!r}: days are Mon Tue Wed Thu Fri Sat Sun")
    return CronTrigger(day_of_week=days, hour=int(m.group(2)), minute=int(m.group(3)), timezone=zone)


def latest_fire(trigger: CronTrigger, now: datetime, lookback: timedelta = timedelta(days=8)) -> datetime | None:
    """The last time the trigger fired at or before now (within the lookback)."""
    t = trigger.get_next_fire_time(None, now - lookback)
    last = None
    while t is not None and t <= now:
        last = t
        t = trigger.get_next_fire_time(t, t + timedelta(seconds=1))
    return last


def next_fire(trigger: CronTrigger, after: datetime) -> datetime:
    """The first time the trigger fires strictly after a moment."""
    t = trigger.get_next_fire_time(None, after + timedelta(seconds=1))
    assert t is not None  # a weekly rule always fires again
    return t


def parse_moment(text: str, zone: ZoneInfo) -> datetime:
    """ISO 8601; a time without a zone is school time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(f"time {text!r}: write ISO 8601, e.g. 2026-12-03T16:00") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


WEEKDAY_WORDS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def parse_day(text: str, today: date) -> date:
    """`2026-12-03`, `12-03`, `12/03`, `12月3日`, `明天`, `后天`, `大后天`, `3天后`, `周五`, `下周一` -> a date.

    `周五` (or 星期五, 礼拜五) is the next such day from today on; `下周一` is that day of next week.
    ValueError when it is not a date.
    """
    t = text.strip()
    relative = {"今天": 0, "明天": 1, "后天": 2, "大后天": 3}
    if t in relative:
        return today + timedelta(days=relative[t])
    if m := re.fullmatch(r"(\d{1,2})\s*天后", t):
        return today + timedelta(days=int(m.group(1)))
    if m := re.fullmatch(r"(下{0,2})(?:周|星期|礼拜)([一二三四五六日天])", t):
        weekday = WEEKDAY_WORDS[m.group(2)]
        if m.group(1):  # 下周X: that weekday of the week after this one (下下周X: one more)
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=len(m.group(1)))
            return monday + timedelta(days=weekday)
        return today + timedelta(days=(weekday - today.weekday()) % 7)
    if m := re.fullmatch(r"(\d{1,2})(?:-|/|\.|月)(\d{1,2})日?号?", t):
        day = date(today.year, int(m.group(1)), int(m.group(2)))
        return day if day >= today else date(today.year + 1, day.month, day.day)
    if m := re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", t):
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return date.fromisoformat(t)


def when(moment: datetime, zone: ZoneInfo) -> str:
    """`12月3日（周四）16:00` in school time."""
    local = moment.astimezone(zone)
    return f"{local.month}月{local.day}日（{DAY_NAMES[local.weekday()]}）{local:%H:%M}"


def day_text(day: date) -> str:
    """`12月3日（周四）`."""
    return f"{day.month}月{day.day}日（{DAY_NAMES[day.weekday()]}）"
