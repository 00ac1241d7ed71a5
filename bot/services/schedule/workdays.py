"""Working days (Monday to Friday, school time): how long a case has waited in the days people work."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

UNANSWERED_WORKING_DAYS = 2  # a yellow note without a reply after this many working days is flagged


def working_days_between(start: date, end: date) -> int:
    """Whole working days after start up to and including end."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days


def waited_working_days(since: datetime, now: datetime, zone: ZoneInfo) -> int:
    """Working days between two moments, counted in school dates."""
    return working_days_between(since.astimezone(zone).date(), now.astimezone(zone).date())
