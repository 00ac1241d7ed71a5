"""Case work as one set of actions, the same from chat and from the console: take, close, level, status,
assign, share with a head teacher, link as a duplicate."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Case, CaseShare, Page, Person, Report
from bot.db.models_people import CASE_ROLES
from bot.services.crisis import abuse, escalation
from bot.services.crisis.cases import CaseError, acknowledge, add_event, lock_open_case
from bot.services.crisis.closing import Closed, ClosingTexts, finish_case
from bot.services.crisis.paging import page_person
from bot.services.messaging import outbox
from keywords import RANK

LEVELS = ("red", "orange", "yellow", "none")
STATUSES = ("in_progress", "monitoring")  # what a counsellor may set by hand (closing has its own action)
REASON_MAX = 500


async def take(*, session: AsyncSession, case_id: int, person: Person,
               now: datetime | None = None) -> tuple[Case, bool]:
    """Acknowledge (收到): the first one stops the chain and tells everyone paged who took it."""
    now = now or utcnow()
    case, first = await acknowledge(session=session, case_id=case_id, person=person, now=now)
    if first:
        await escalation.acknowledged(session=session, case=case, person=person, now=now)
    return case, first


async def close(*, session: AsyncSession, case_id: int, person: Person, outcome: str, outcome_name: str,
                texts: ClosingTexts, text: str = "", now: datetime | None = None) -> Closed:
    """Close (结案) and tell everyone concerned; a false report counts towards its reporters' flag."""
    now = now or utcnow()
    closed = await finish_case(session=session, case_id=case_id, person=person, outcome=outcome,
                               outcome_name=outcome_name, texts=texts, text=text, now=now)
    if outcome == "false_report":  # a member whose reports are often false is flagged, never blocked
        await abuse.after_false_report(session=session, case=closed.case, now=now)
    return closed


async def _summary(session: AsyncSession, case: Case) -> str:
    latest = (await session.execute(select(Report.text).where(Report.case_id == case.id)
                                    .order_by(Report.id.desc()).limit(1))).scalar_one_or_none()
    return latest or case.subject or ""


async def change_level(*, session: AsyncSession, case_id: int, person: Person, level: str, reason: str,
                       zone: ZoneInfo, now: datetime | None = None) -> Case:
    """Set the level by hand with a reason (a triage correction); a rise to urgent starts or tells as a rise does."""
    now = now or utcnow()
    reason = reason.strip()
    if level not in LEVELS:
        raise CaseError("level")
    if not reason or len(reason) > REASON_MAX:
        raise CaseError("reason")
    case = await lock_open_case(session=session, case_id=case_id, person=person)
    old = case.level
    if level == old:
        raise CaseError("same_level")
    case.level, case.updated_at = level, now
    add_event(session=session, case=case, kind="level_changed", actor_id=person.id, now=now,
              detail={"from": old, "to": level, "reason": reason, "by": person.name})
    if RANK[level] > RANK[old] and RANK[level] >= RANK["orange"]:
        await escalation.on_urgent(session=session, case=case, level_rose=True, summary=await _summary(session, case),
                                   zone=zone, now=now)
    return case


async def set_status(*, session: AsyncSession, case_id: int, person: Person, status: str,
                     now: datetime | None = None) -> Case:
    """In progress or monitoring (a red case's re-pages stop once it is no longer just acknowledged)."""
    now = now or utcnow()
    if status not in STATUSES:
        raise CaseError("status")
    case = await lock_open_case(session=session, case_id=case_id, person=person)
    if case.acknowledged_by_id is None:
        raise CaseError("unacknowledged")
    old = case.status
    case.status, case.updated_at = status, now
    add_event(session=session, case=case, kind="status_changed", actor_id=person.id, now=now,
              detail={"from": old, "to": status, "by": person.name})
    return case


async def assign(*, session: AsyncSession, case_id: int, person: Person, to_id: int, page: str,
                 now: datetime | None = None) -> Case:
    """Hand the case to another counsellor of the school, who is paged; an unheld case's chain stops."""
    now = now or utcnow()
    case = await lock_open_case(session=session, case_id=case_id, person=person)
    to = await session.get(Person, to_id)
    if to is None or to.school_id != case.school_id or not (to.role_set & set(CASE_ROLES)):
        raise CaseError("assignee")
    if case.acknowledged_by_id == to.id:
        raise CaseError("same_holder")
    before = case.acknowledged_by_id
    case.acknowledged_by_id, case.updated_at = to.id, now
    if case.acknowledged_at is None:
        case.acknowledged_at = now
    if case.status == "new":
        case.status = "acknowledged"
    add_event(session=session, case=case, kind="assigned", actor_id=person.id, now=now,
              detail={"from_id": before, "to_id": to.id, "person": to.name, "by": person.name})
    if before is None:  # nobody held it: the chain stops as on an acknowledgement, naming the new holder
        await escalation.acknowledged(session=session, case=case, person=to, now=now)
    await page_person(session=session, case=case, person=to, reason="assigned", now=now,
                      text=page.format(case_id=case.id, name=person.name))
    return case


async def share(*, session: AsyncSession, case_id: int, person: Person, head_teacher_id: int, notice: str,
                now: datetime | None = None) -> Case:
    """Share a reported case with a head teacher (never an anonymous note); they are told."""
    now = now or utcnow()
    case = await lock_open_case(session=session, case_id=case_id, person=person)
    if case.source == "mailbox":
        raise CaseError("anonymous")
    teacher = await session.get(Person, head_teacher_id)
    if teacher is None or teacher.school_id != case.school_id or "head_teacher" not in teacher.role_set:
        raise CaseError("head_teacher")
    exists = (await session.execute(select(CaseShare.id).where(
        CaseShare.case_id == case.id, CaseShare.person_id == teacher.id))).scalar_one_or_none()
    if exists is not None:
        raise CaseError("shared")
    session.add(CaseShare(case_id=case.id, person_id=teacher.id, shared_by_id=person.id, at=now))
    add_event(session=session, case=case, kind="shared", actor_id=person.id, now=now,
              detail={"person": teacher.name, "person_id": teacher.id, "by": person.name})
    await outbox.to_person(session=session, person_id=teacher.id, kind="notice", case_id=case.id, due_at=now,
                           text=notice.format(case_id=case.id, name=person.name))
    return case


async def link_duplicate(*, session: AsyncSession, case_id: int, person: Person, other_id: int,
                         texts: ClosingTexts, outcome_name: str, now: datetime | None = None) -> Closed:
    """Close a case as a duplicate of another open or closed case of the school, linked both ways."""
    now = now or utcnow()
    if other_id == case_id:
        raise CaseError("self")
    other = await session.get(Case, other_id)
    if other is None or other.school_id != person.school_id:
        raise CaseError("other")
    await lock_open_case(session=session, case_id=case_id, person=person)
    add_event(session=session, case=case_id, kind="duplicate_of", actor_id=person.id, now=now,
              detail={"case": other_id, "by": person.name})
    add_event(session=session, case=other_id, kind="duplicate_linked", actor_id=person.id, now=now,
              detail={"case": case_id, "by": person.name})
    return await close(session=session, case_id=case_id, person=person, outcome="duplicate",
                       outcome_name=outcome_name, texts=texts, text=f"#{other_id}", now=now)


async def shared_with(*, session: AsyncSession, person: Person) -> set[int]:
    """Cases shared with a head teacher: they reported one, were paged about it, or a counsellor shared it."""
    me = person.id
    return set((await session.execute(select(Case.id).where(Case.school_id == person.school_id, or_(
        Case.id.in_(select(Report.case_id).where(Report.reporter_id == me)),
        Case.id.in_(select(Page.case_id).where(Page.person_id == me)),
        Case.id.in_(select(CaseShare.case_id).where(CaseShare.person_id == me)),
    )))).scalars())
