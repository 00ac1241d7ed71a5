"""The yellow digest: every working morning the school's counsellors get the open yellow cases (no page).

Sent once per school and day: the school row is locked while the day's rows are checked and queued,
so two processes never both send it (on SQLite the write transaction does the same).
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import Case, OutboxMessage, Report, School, Thread, ThreadMessage
from bot.services.crisis.cases import OPEN_STATUSES
from bot.services.crisis.paging import excerpt
from bot.services.crisis.roster import staff_with_role
from bot.services.messaging import outbox
from bot.services.schedule.workdays import UNANSWERED_WORKING_DAYS, waited_working_days
from bot.services.school.people import group_name
from bot.texts import paging as T
from bot.texts.counsellor import OPT_PENDING

log = logging.getLogger(__name__)
SEND_FROM, SEND_UNTIL = time(8, 0), time(12, 0)  # the start of working hours; later than noon it waits a day


def due_day(now: datetime, zone: ZoneInfo) -> str | None:
    """The school date whose digest is due now (a working morning), or None."""
    local = now.astimezone(zone)
    if local.weekday() >= 5 or not SEND_FROM <= local.time() < SEND_UNTIL:
        return None
    return local.date().isoformat()


async def _lines(*, session: AsyncSession, school_id: int, zone: ZoneInfo, now: datetime) -> list[str]:
    cases = list((await session.execute(select(Case).where(
        Case.school_id == school_id, Case.level == "yellow", Case.status.in_(OPEN_STATUSES)).order_by(Case.id)
    )).scalars())
    since = now - timedelta(days=3 if now.astimezone(zone).weekday() == 0 else 1)
    lines = []
    for case in cases:
        report = (await session.execute(select(Report).where(Report.case_id == case.id)
                                        .order_by(Report.id.desc()).limit(1))).scalar_one_or_none()
        code = (await session.execute(select(Thread.code).where(Thread.case_id == case.id))).scalar_one_or_none()
        if case.source == "mailbox":
            where = T.YELLOW_WHERE_NOTE.format(code=code) if code else T.YELLOW_WHERE_MAILBOX
        else:
            where = f"{await group_name(session=session, group_id=case.group_id)}·{case.subject}"
        days = waited_working_days(case.created_at, now, zone)
        flag = T.YELLOW_NEW if case.created_at >= since else ""
        if case.source == "mailbox" and days >= UNANSWERED_WORKING_DAYS:
            answered = (await session.execute(
                select(ThreadMessage.id).join(Thread, Thread.id == ThreadMessage.thread_id)
                .where(Thread.case_id == case.id, ThreadMessage.author == "counsellor").limit(1)
            )).scalar_one_or_none()
            if answered is None:
                flag += T.YELLOW_UNANSWERED.format(n=UNANSWERED_WORKING_DAYS)
        lines.append(T.YELLOW_LINE.format(id=case.id, where=where, days=days, flag=flag,
                                 excerpt=excerpt(report.text if report else "", 40) or T.NO_EXCERPT))
    return lines


async def send_due(*, sessions: async_sessionmaker[AsyncSession], school_id: int, zone: ZoneInfo,
                   now: datetime | None = None) -> int:
    """Queue today's yellow digest to every counsellor if it is due and not yet sent; return rows queued."""
    now = now or utcnow()
    day = due_day(now, zone)
    if day is None:
        return 0
    ref = f"digest:{day}"
    async with sessions() as session, session.begin():
        await session.execute(select(School.id).where(School.id == school_id).with_for_update())
        sent = (await session.execute(select(OutboxMessage.id).where(OutboxMessage.ref == ref).limit(1))
                ).scalar_one_or_none()
        if sent is not None:
            return 0
        lines = await _lines(session=session, school_id=school_id, zone=zone, now=now)
        if not lines:
            return 0
        local = now.astimezone(zone)
        text = "\n".join([T.YELLOW_HEAD.format(day=T.YELLOW_DAY.format(month=local.month, day=local.day), n=len(lines)),
                          *lines, T.YELLOW_TAIL])
        queued = 0
        for person in await staff_with_role(session=session, school_id=school_id, role="counsellor"):
            queued += len(await outbox.to_person(session=session, person_id=person.id, kind="notice", text=text,
                                                 due_at=now, ref=ref, options=[OPT_PENDING]))
        log.info("yellow digest %s: %d cases to %d rows", day, len(lines), queued)
        return queued
