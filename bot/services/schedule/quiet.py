"""Quiet hours: no non-urgent push to a student between, by default, 22:00 and 07:00 school time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
QUIET_KINDS = ("reminder", "notice")  # pages and a counsellor's replies are never held


@dataclass(frozen=True)
class QuietHours:
    """A daily range in school time; it may run past midnight."""

    start: time
    end: time
    zone: ZoneInfo

    @classmethod
    def parse(cls, text: str, zone: ZoneInfo) -> QuietHours | None:
        """`22:00-07:00` -> QuietHours; empty -> None; anything else -> ValueError."""
        if not text.strip():
            return None
        m = _RANGE.match(text)
        if not m or int(m.group(1)) > 23 or int(m.group(3)) > 23 or int(m.group(2)) > 59 or int(m.group(4)) > 59:
            raise ValueError(f"quiet hours {text!r}: write HH:MM-HH:MM, e.g. 22:00-07:00, or leave empty")
        start, end = time(int(m.group(1)), int(m.group(2))), time(int(m.group(3)), int(m.group(4)))
        if start == end:
            raise ValueError("quiet hours start and end at the same time")
        return cls(start, end, zone)

    def holds(self, moment: datetime) -> bool:
        """Whether a moment falls in quiet hours."""
        t = moment.astimezone(self.zone).time()
        if self.start < self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end

    def release(self, moment: datetime) -> datetime:
        """The end of the quiet hours a moment falls in (the moment itself when not quiet)."""
        if not self.holds(moment):
            return moment
        local = moment.astimezone(self.zone)
        end = datetime.combine(local.date(), self.end, self.zone)
        if end <= local:
            end = datetime.combine(local.date() + timedelta(days=1), self.end, self.zone)
        return end
