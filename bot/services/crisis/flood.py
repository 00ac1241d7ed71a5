"""Who caused a case (a keyed hash), and a flood of urgent notes from one sender as one flagged case.

A further urgent note from the same anonymous sender (the same daily keyed hash of channel and
address, never the raw id) within ten minutes of their last one joins their open case instead of
opening another: its report, the thread, a raised level and a line on the timeline. From the third
such note the case is flagged `flood` (a flag for the counsellor, not a verdict: a student in crisis
may write many times). It still pages: the case's chain goes on, and a raised level starts it again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Case, CaseEvent, Report, Thread, ThreadMessage
from bot.services.crisis.cases import OPEN_STATUSES, add_event, raise_level
from bot.services.crisis.mailbox import thread_for_case
from bot.services.messaging.sealing import Sealer
from keywords import Verdict

WINDOW = timedelta(minutes=10)
FLAG_AT = 3  # urgent notes from one sender within the window that flag their case
FLOOD = "flood"


def sender_key(*, sealer: Sealer, channel: str, external_id: str, now: datetime, zone: ZoneInfo) -> str:
    """The sender's keyed hash for today (a member is keyed by their person: channel "person", their id)."""
    return sealer.daily_key(channel, external_id, now.astimezone(zone).date().isoformat())


async def open_case_of(*, session: AsyncSession, key: str, now: datetime) -> Case | None:
    """The sender's open mailbox case whose last note came within the window, if any."""
    return (await session.execute(
        select(Case).join(Report, Report.case_id == Case.id).where(
            Case.sender_key == key, Case.source == "mailbox", Case.status.in_(OPEN_STATUSES),
            Report.kind == "mailbox", Report.created_at >= now - WINDOW,
        ).order_by(Report.id.desc()).limit(1))).scalar_one_or_none()


async def join(*, session: AsyncSession, case: Case, text: str, verdict: Verdict,
               now: datetime) -> tuple[Thread, bool] | None:
    """Add a further urgent note to its sender's open case; its thread and whether the level rose
    (None when the case has no open thread: the note is filed as a new one)."""
    thread = await thread_for_case(session=session, case_id=case.id)
    if thread is None or thread.closed_at is not None:
        return None
    report = Report(school_id=case.school_id, kind="mailbox", reporter_id=None, text=text, level=verdict.level,
                    categories=list(verdict.categories), evidence=[e.as_dict() for e in verdict.evidence],
                    case_id=case.id, created_at=now)
    session.add_all([report, ThreadMessage(thread_id=thread.id, author="student", text=text, created_at=now)])
    await session.flush()
    rose = raise_level(session=session, case=case, level=verdict.level, now=now)
    case.updated_at = now
    add_event(session=session, case=case, kind="mailbox_note", now=now,
              detail={"report_id": report.id, "thread": thread.code, "level": verdict.level, "joined": True})
    await flag_if_flood(session=session, case=case, now=now)
    return thread, rose


async def in_flood(*, session: AsyncSession, case_id: int, at: datetime) -> int:
    """How many urgent messages the case's sender wrote in the window up to `at` (notes that joined it, or
    messages in its thread: both leave a timeline line with their level); 0 below FLAG_AT."""
    details = (await session.execute(select(CaseEvent.detail).where(
        CaseEvent.case_id == case_id, CaseEvent.kind.in_(("mailbox_note", "student_message")),
        CaseEvent.at >= at - WINDOW, CaseEvent.at <= at))).scalars()
    notes = sum(1 for d in details if isinstance(d, dict) and d.get("level") in ("red", "orange"))
    return notes if notes >= FLAG_AT else 0


async def flag_if_flood(*, session: AsyncSession, case: Case, now: datetime) -> bool:
    """Flag the case `flood` once its sender wrote FLAG_AT urgent messages within the window; whether it is."""
    notes = await in_flood(session=session, case_id=case.id, at=now)
    if not notes:
        return False
    if FLOOD not in await flags(session=session, case_id=case.id):
        add_event(session=session, case=case, kind="flagged", now=now,
                  detail={"flag": FLOOD, "notes": notes, "window_minutes": int(WINDOW.total_seconds() // 60)})
    return True


async def flags(*, session: AsyncSession, case_id: int) -> set[str]:
    """The flags on a case's timeline."""
    details = (await session.execute(select(CaseEvent.detail).where(
        CaseEvent.case_id == case_id, CaseEvent.kind == "flagged"))).scalars()
    return {str(d.get("flag")) for d in details if isinstance(d, dict)}
