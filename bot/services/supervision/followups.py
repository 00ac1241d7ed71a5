"""Follow-ups (跟进) due in the period: done on the day (or before), late, not done.

A follow-up set for a date is done when the case gets a note, a reply, a new follow-up date or is
closed after it was set; on time when that happened by the end of that date (school time).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Case, CaseEvent
from bot.services.supervision.table import Section, rate, titled

DONE_KINDS = ("note", "reply", "follow_up_set", "closed")


async def section(*, session: AsyncSession, school_id: int, first: date, last: date, zone: ZoneInfo,
                  now: datetime) -> Section:
    """The follow-up section (only follow-ups whose date has come)."""
    events = (await session.execute(select(CaseEvent).join(Case, Case.id == CaseEvent.case_id).where(
        Case.school_id == school_id, CaseEvent.kind.in_(DONE_KINDS)).order_by(CaseEvent.at, CaseEvent.id))).scalars()
    by_case: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in events:
        by_case[event.case_id].append(event)
    today = now.astimezone(zone).date()
    due = on_time = late = 0
    for case_events in by_case.values():
        for event in case_events:
            if event.kind != "follow_up_set":
                continue
            on = date.fromisoformat(str(event.detail.get("on", "")) or "0001-01-01")
            if not (first <= on <= last) or on > today:
                continue
            due += 1
            deadline = datetime.combine(on + timedelta(days=1), time(0), zone)
            done = next((e for e in case_events if e.at > event.at and e.id != event.id), None)
            if done is not None and done.at < deadline:
                on_time += 1
            elif done is not None:
                late += 1
    out = titled("followups", ["到期的跟进", "按时完成", "逾期完成", "未完成", "按时率"])
    out.rows.append([due, on_time, late, due - on_time - late, rate(on_time, due, masked=False)])
    return out
