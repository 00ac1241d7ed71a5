"""Everything the case page shows, gathered through the services: header, reports and notes with their
evidence, the anonymous thread, the timeline in words and school time, earlier cases of the student."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.console import texts
from bot.console.highlight import marked
from bot.db.models import Case, CaseEvent, Person, Report, Thread
from bot.db.models_people import CASE_ROLES
from bot.services.crisis import mailbox
from bot.services.crisis.case_lists import earlier_cases
from bot.services.school.people import group_name
from handlers.case_words import event_text
from keywords import Triager


@dataclass
class ReportView:
    """One report or note, its text marked with the evidence."""

    report: Report
    who: str
    text: Markup
    anonymous: bool


@dataclass
class CasePage:
    """The case page's content."""

    case: Case
    where: str
    holder: str
    reports: list[ReportView]
    thread: Thread | None
    messages: list[tuple[str, datetime, Markup]]
    timeline: list[tuple[datetime, str]]
    earlier: list[Case]
    colleagues: list[Person] = field(default_factory=list)
    head_teachers: list[Person] = field(default_factory=list)


async def thread_messages(*, session: AsyncSession, thread: Thread, reports: list[ReportView],
                          triager: Triager) -> list[tuple[str, datetime, Markup]]:
    """The thread, oldest first: (author, time, text with the student's evidence marked)."""
    notes = {r.report.text: r.text for r in reports if r.anonymous}  # the evidence stored when filed
    messages = []
    for m in await mailbox.messages(session=session, thread=thread):
        if m.author != "student":
            text = marked(m.text, [])
        elif m.text in notes:
            text = notes[m.text]
        else:  # later messages in the thread: the same triage, run again (it is deterministic)
            text = marked(m.text, [e.as_dict() for e in triager.triage(m.text).evidence])
        messages.append((m.author, m.created_at, text))
    return messages


async def anonymous_reports(*, session: AsyncSession, case: Case) -> list[ReportView]:
    """The notes of a mailbox case (their stored evidence marks the thread's first messages)."""
    return [ReportView(report=r, who="", anonymous=True, text=marked(r.text or "", r.evidence or []))
            for r in (await session.execute(select(Report).where(Report.case_id == case.id, Report.kind == "mailbox")
                                            .order_by(Report.id))).scalars()]


async def _who(session: AsyncSession, report: Report) -> str:
    if report.kind == "mailbox" or report.reporter_id is None:
        return texts.REPORT_ANON
    reporter = await session.get(Person, report.reporter_id)
    if reporter is None:
        return texts.REPORT_ANON
    roles = "、".join(texts.ROLE_NAMES.get(r, r) for r in sorted(reporter.role_set))
    group = await group_name(session=session, group_id=reporter.group_id)
    if group:
        return texts.REPORT_BY_MEMBER.format(roles=roles, name=reporter.name, group=group)
    return texts.REPORT_BY.format(roles=roles, name=reporter.name)


async def gather(*, session: AsyncSession, case: Case, triager: Triager, with_thread: bool,
                 for_staff: bool) -> CasePage:
    """The case whole (with_thread: the anonymous thread too; for_staff: the people the forms offer)."""
    thread = await mailbox.thread_for_case(session=session, case_id=case.id) if case.source == "mailbox" else None
    group = await group_name(session=session, group_id=case.group_id)
    where = texts.SOURCE_MAILBOX + (f" · {thread.code}" if thread else "") if case.source == "mailbox" else group
    holder = await session.get(Person, case.acknowledged_by_id) if case.acknowledged_by_id else None
    reports = []
    for report in (await session.execute(select(Report).where(Report.case_id == case.id)
                                         .order_by(Report.id))).scalars():
        reports.append(ReportView(report=report, who=await _who(session, report), anonymous=report.kind == "mailbox",
                                  text=marked(report.text or "", report.evidence or [])))
    messages: list[tuple[str, datetime, Markup]] = []
    if thread is not None and with_thread:
        messages = await thread_messages(session=session, thread=thread, reports=reports, triager=triager)
    events = list((await session.execute(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                         .order_by(CaseEvent.at, CaseEvent.id))).scalars())
    names = {p.id: p.name for p in (await session.execute(select(Person).where(
        Person.id.in_({e.actor_id for e in events if e.actor_id})))).scalars()}
    if not with_thread:  # a head teacher reads where the case stands, never what was said in a thread
        events = [e for e in events if e.kind not in ("reply", "student_message", "direct_answer")]
    page = CasePage(case=case, where=where, holder=holder.name if holder else texts.NOT_HELD, reports=reports,
                    thread=thread if with_thread else None, messages=messages,
                    timeline=[(e.at, event_text(e, names)) for e in events],
                    earlier=await earlier_cases(session=session, case=case))
    if for_staff:
        people = list((await session.execute(select(Person).where(Person.school_id == case.school_id)
                                             .order_by(Person.name))).scalars())
        page.colleagues = [p for p in people if p.role_set & set(CASE_ROLES) and p.id != case.acknowledged_by_id]
        page.head_teachers = [p for p in people if "head_teacher" in p.role_set]
    return page
