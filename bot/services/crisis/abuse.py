"""Pranks and targeting: flagged to the counsellors, never blocked (a real crisis still pages).

Two signals. A student named in NAMED_NOTES or more anonymous notes within NAMED_DAYS (the mailbox
keeps no sender, so the student named is what repeats: a name from the school's roster file or a
person known to the school appearing in the note's text). A committee member whose reports were
closed as `false_report` FALSE_REPORTS times or more. Each flag is a line on the case's timeline
(kinds in FLAGS: `cases show`, 待处理) and a notice to every counsellor; the figures per school come
from those lines (counts()).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Case, CaseEvent, Person, Report
from bot.services.crisis.cases import add_event
from bot.services.crisis.roster import staff_with_role
from bot.services.messaging import outbox
from bot.texts import paging as T

NAMED_NOTES = 3
NAMED_DAYS = 7
FALSE_REPORTS = 2
NAMED = "flag_named_in_notes"  # this note names a student named in other recent anonymous notes
FALSE_REPORTER = "flag_false_reporter"  # this case came from a member whose reports were often false
FLAGS = (NAMED, FALSE_REPORTER)


async def _notify_counsellors(*, session: AsyncSession, school_id: int, text: str, case_id: int,
                              now: datetime) -> None:
    for person in await staff_with_role(session=session, school_id=school_id, role="counsellor"):
        await outbox.to_person(session=session, person_id=person.id, kind="notice", text=text, case_id=case_id,
                               due_at=now)


async def _recent_flags(*, session: AsyncSession, school_id: int, kind: str, since: datetime) -> list[CaseEvent]:
    return list((await session.execute(
        select(CaseEvent).join(Case, Case.id == CaseEvent.case_id)
        .where(Case.school_id == school_id, CaseEvent.kind == kind, CaseEvent.at >= since))).scalars())


async def check_note(*, session: AsyncSession, case: Case, text: str, roster: Iterable[str],
                     now: datetime) -> list[str]:
    """Flag a new note that names a student named in NAMED_NOTES notes within NAMED_DAYS; return the names."""
    people = (await session.execute(select(Person.name).where(Person.school_id == case.school_id))).scalars()
    names = {n.strip() for n in (*roster, *people) if len(n.strip()) >= 2 and n.strip() in text}
    since = now - timedelta(days=NAMED_DAYS)
    flagged = []
    for name in sorted(names):
        count = (await session.execute(select(func.count(Report.id)).where(
            Report.school_id == case.school_id, Report.kind == "mailbox", Report.created_at >= since,
            Report.text.contains(name, autoescape=True)))).scalar_one()
        if count < NAMED_NOTES:
            continue
        told = any(e.detail.get("name") == name and e.detail.get("notified")
                   for e in await _recent_flags(session=session, school_id=case.school_id, kind=NAMED, since=since))
        add_event(session=session, case=case, kind=NAMED, now=now,
                  detail={"name": name, "notes": int(count), "days": NAMED_DAYS, "notified": not told})
        if not told:  # once a week per name; every later note still carries the flag on its case
            await _notify_counsellors(session=session, school_id=case.school_id, case_id=case.id, now=now,
                                      text=T.NAMED_NOTICE.format(days=NAMED_DAYS, n=count, name=name, case_id=case.id))
        flagged.append(name)
    return flagged


async def false_reports_of(*, session: AsyncSession, person_id: int) -> int:
    """How many cases with a concern report by this person were closed as false_report."""
    return int((await session.execute(
        select(func.count(func.distinct(Case.id))).join(Report, Report.case_id == Case.id)
        .where(Report.kind == "concern", Report.reporter_id == person_id, Case.outcome == "false_report"))
    ).scalar_one())


async def after_false_report(*, session: AsyncSession, case: Case, now: datetime) -> list[int]:
    """A case was closed as false_report: tell the counsellors about its reporters who reached FALSE_REPORTS."""
    await session.flush()
    reporters = (await session.execute(select(func.distinct(Report.reporter_id)).where(
        Report.case_id == case.id, Report.kind == "concern", Report.reporter_id.is_not(None)))).scalars()
    flagged = []
    for person_id in reporters:
        count = await false_reports_of(session=session, person_id=person_id)
        person = await session.get(Person, person_id)
        if count < FALSE_REPORTS or person is None:
            continue
        add_event(session=session, case=case, kind=FALSE_REPORTER, now=now,
                  detail={"reporter": person.name, "false_reports": count, "notified": True})
        await _notify_counsellors(session=session, school_id=case.school_id, case_id=case.id, now=now,
                                  text=T.FALSE_NOTICE.format(name=person.name, n=count, case_id=case.id))
        flagged.append(person_id)
    return flagged


async def check_reporter(*, session: AsyncSession, case: Case, reporter: Person, now: datetime) -> bool:
    """Mark a new report's case when its reporter's reports were closed as false_report FALSE_REPORTS times."""
    count = await false_reports_of(session=session, person_id=reporter.id)
    if count < FALSE_REPORTS:
        return False
    add_event(session=session, case=case, kind=FALSE_REPORTER, now=now,
              detail={"reporter": reporter.name, "false_reports": count, "notified": False})
    return True


async def flags_of(*, session: AsyncSession, case_ids: list[int]) -> dict[int, list[CaseEvent]]:
    """The flag lines of each of these cases."""
    rows = (await session.execute(select(CaseEvent).where(CaseEvent.case_id.in_(case_ids),
                                                          CaseEvent.kind.in_(FLAGS)).order_by(CaseEvent.id))).scalars()
    found: dict[int, list[CaseEvent]] = {}
    for event in rows:
        found.setdefault(event.case_id, []).append(event)
    return found


@dataclass(frozen=True)
class AbuseCounts:
    """One school's figures for supervision over a period."""

    school_id: int
    named_students: int  # distinct students named in NAMED_NOTES+ notes within NAMED_DAYS
    named_notes: int  # notes that carried that flag
    false_reporters: int  # distinct members flagged for false reports
    false_reports: int  # cases closed as false_report


async def counts(*, session: AsyncSession, since: datetime) -> list[AbuseCounts]:
    """Per school: students flagged as named repeatedly, members flagged for false reports, since a time."""
    events = (await session.execute(
        select(Case.school_id, CaseEvent.kind, CaseEvent.detail).join(Case, Case.id == CaseEvent.case_id)
        .where(CaseEvent.kind.in_(FLAGS), CaseEvent.at >= since))).all()
    closed: dict[int, int] = {int(school): int(n) for school, n in (await session.execute(
        select(Case.school_id, func.count(Case.id)).where(Case.outcome == "false_report", Case.closed_at >= since)
        .group_by(Case.school_id))).all()}
    schools = sorted({s for s, _k, _d in events} | set(closed))
    result = []
    for school in schools:
        named = [d for s, k, d in events if s == school and k == NAMED]
        reporters = {d.get("reporter") for s, k, d in events if s == school and k == FALSE_REPORTER}
        result.append(AbuseCounts(school_id=school, named_students=len({d.get("name") for d in named}),
                                  named_notes=len(named), false_reporters=len(reporters),
                                  false_reports=int(closed.get(school, 0))))
    return result
