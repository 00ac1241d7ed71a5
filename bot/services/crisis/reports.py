"""Concern reports from committee members: store, triage, open or link the student's case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Case, Person, Report
from bot.services.crisis import abuse
from bot.services.crisis.cases import add_event, find_open_case, open_case, raise_level
from keywords import RANK, Verdict

# What a member can tick, and the least level each implies.
SIGNS = {
    "情绪低落": "yellow",
    "言语中提到死亡或自伤": "orange",
    "自伤痕迹": "orange",
    "行为突变": "yellow",
    "被欺凌": "yellow",
    "家庭变故": "yellow",
    "学业压力": "yellow",
    "其他": "none",
}


@dataclass(frozen=True)
class Filed:
    """A stored report and the case it opened or joined."""

    report: Report
    case: Case
    new_case: bool
    level_rose: bool


def report_level(verdict: Verdict, signs: list[str]) -> str:
    """The higher of the text's triage and the least level of the ticked signs."""
    level = verdict.level
    for sign in signs:
        floor = SIGNS.get(sign, "none")
        if RANK[floor] > RANK[level]:
            level = floor
    return level


async def file_concern(*, session: AsyncSession, reporter: Person, subject: str, signs: list[str],
                       text: str, verdict: Verdict, now: datetime | None = None,
                       sender_key: str | None = None) -> Filed:
    """Store a concern report and open a case for the student or add it to their open case.

    sender_key: the member's keyed hash, kept on the case when the report is urgent (its pages are theirs).
    """
    now = now or utcnow()
    level = report_level(verdict, signs)
    report = Report(
        school_id=reporter.school_id, kind="concern", reporter_id=reporter.id, group_id=reporter.group_id,
        subject=subject[:200], signs=signs, text=text, level=level, categories=list(verdict.categories),
        evidence=[e.as_dict() for e in verdict.evidence], created_at=now,
    )
    session.add(report)
    case = await find_open_case(session=session, school_id=reporter.school_id, subject=subject,
                                group_id=reporter.group_id)
    new_case = case is None
    rose = False
    if case is None:
        case = await open_case(session=session, school_id=reporter.school_id, level=level, source="concern",
                               subject=subject, group_id=reporter.group_id, now=now)
    else:
        rose = raise_level(session=session, case=case, level=level, now=now)
        case.updated_at = now
    if sender_key is not None and RANK[level] >= RANK["orange"]:
        case.sender_key = sender_key
    await session.flush()
    report.case_id = case.id
    add_event(session=session, case=case, kind="report", actor_id=reporter.id, now=now,
              detail={"report_id": report.id, "level": level, "signs": signs})
    await abuse.check_reporter(session=session, case=case, reporter=reporter, now=now)  # flagged, never blocked
    return Filed(report=report, case=case, new_case=new_case, level_rose=rose)


def record_checkin(*, session: AsyncSession, reporter: Person, text: str, verdict: Verdict,
                   now: datetime) -> Report:
    """Store a member's weekly check-in (empty text: nothing unusual) as a report of kind checkin."""
    checkin = Report(school_id=reporter.school_id, kind="checkin", reporter_id=reporter.id,
                     group_id=reporter.group_id, text=text, level=verdict.level if text else "none",
                     categories=list(verdict.categories),
                     evidence=[e.as_dict() for e in verdict.evidence] if text else [], created_at=now)
    session.add(checkin)
    return checkin
