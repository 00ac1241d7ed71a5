"""Closing a case and telling everyone it concerns: the student's thread, the reporters, whoever was paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Case, Page, Person, Report
from bot.services.crisis import mailbox
from bot.services.crisis.cases import add_event, close_case
from bot.services.messaging import outbox


@dataclass(frozen=True)
class ClosingTexts:
    """What each party reads (the flow's own texts): {code}; nothing; {case_id} {name} {outcome}."""

    student: str
    reporter: str
    paged: str


@dataclass(frozen=True)
class Closed:
    """A closed case and who was told."""

    case: Case
    unacknowledged: bool  # nobody had acknowledged it when it was closed
    paged_told: int
    reporters_told: int
    follow_ups_cancelled: int
    thread_code: str | None


async def finish_case(*, session: AsyncSession, case_id: int, person: Person, outcome: str, outcome_name: str,
                      texts: ClosingTexts, text: str = "", now: datetime | None = None) -> Closed:
    """Close a case, withdraw its follow-up reminders, and tell the student, the reporters and the paged."""
    now = now or utcnow()
    case = await close_case(session=session, case_id=case_id, person=person, outcome=outcome, text=text, now=now)
    unacknowledged = case.acknowledged_by_id is None
    cancelled = await outbox.cancel(session=session, ref=f"followup:{case.id}")
    if cancelled:
        add_event(session=session, case=case, kind="follow_up_cancelled", now=now, detail={"reminders": cancelled})
    code = await mailbox.close_thread_of_case(session=session, case_id=case.id, closing_text=texts.student, now=now)
    reporters = {pid for pid in (await session.execute(select(Report.reporter_id).where(
        Report.case_id == case.id, Report.kind == "concern"))).scalars() if pid is not None}
    for reporter_id in sorted(reporters - {person.id}):
        await outbox.to_person(session=session, person_id=reporter_id, kind="notice", text=texts.reporter,
                               case_id=case.id, due_at=now)
    paged = set((await session.execute(select(Page.person_id).where(Page.case_id == case.id))).scalars())
    told = sorted(paged - {person.id})
    for other_id in told:
        await outbox.to_person(session=session, person_id=other_id, kind="notice", case_id=case.id, due_at=now,
                               priority=outbox.PRIORITY_PAGE,
                               text=texts.paged.format(case_id=case.id, name=person.name, outcome=outcome_name))
    if unacknowledged:
        add_event(session=session, case=case, kind="closed_unacknowledged", actor_id=person.id, now=now,
                  detail={"by": person.name, "told": len(told)})
    return Closed(case=case, unacknowledged=unacknowledged, paged_told=len(told), reporters_told=len(reporters),
                  follow_ups_cancelled=cancelled, thread_code=code)
