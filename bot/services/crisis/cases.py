"""Cases: open, link, raise, acknowledge, note, close, list, show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Case, CaseEvent, Person
from bot.db.models_cases import OUTCOMES
from bot.db.models_students import Referral
from keywords import RANK

OPEN_STATUSES = ("new", "acknowledged", "in_progress", "monitoring")


class CaseError(Exception):
    """A case action refused; reason is a key into the counsellor texts."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def add_event(*, session: AsyncSession, case: Case | int, kind: str, actor_id: int | None = None,
              detail: dict[str, Any] | None = None, now: datetime | None = None) -> CaseEvent:
    """Append one line to a case's timeline (the case, or its id when it is not loaded)."""
    event = CaseEvent(case_id=case if isinstance(case, int) else case.id, kind=kind, actor_id=actor_id,
                      detail=detail or {}, at=now or utcnow())
    session.add(event)
    return event


async def open_case(*, session: AsyncSession, school_id: int, level: str, source: str,
                    subject: str = "", group_id: int | None = None, now: datetime | None = None) -> Case:
    """Open a new case and record it on its timeline."""
    now = now or utcnow()
    case = Case(school_id=school_id, level=level, status="new", subject=subject[:200], group_id=group_id,
                source=source, created_at=now, updated_at=now)
    session.add(case)
    await session.flush()
    add_event(session=session, case=case, kind="opened", detail={"level": level, "source": source}, now=now)
    return case


async def find_open_case(*, session: AsyncSession, school_id: int, subject: str,
                         group_id: int | None) -> Case | None:
    """The open concern case about the same student in the same class or dorm."""
    key = subject.strip()
    if not key:
        return None
    return (await session.execute(
        select(Case).where(
            Case.school_id == school_id, Case.subject == key, Case.group_id == group_id,
            Case.source == "concern", Case.status.in_(OPEN_STATUSES),
        ).order_by(Case.id.desc()).limit(1)
    )).scalar_one_or_none()


def raise_level(*, session: AsyncSession, case: Case, level: str, now: datetime | None = None) -> bool:
    """Raise a case's level if the new one is higher; return whether it rose."""
    if RANK[level] <= RANK[case.level]:
        return False
    add_event(session=session, case=case, kind="level_raised", detail={"from": case.level, "to": level}, now=now)
    case.level = level
    case.updated_at = now or utcnow()
    return True


async def get_case(*, session: AsyncSession, case_id: int) -> Case:
    """Return a case or raise CaseError('unknown')."""
    case = await session.get(Case, case_id)
    if case is None:
        raise CaseError("unknown")
    return case


async def lock_open_case(*, session: AsyncSession, case_id: int, person: Person) -> Case:
    """The person's school's case, locked for this transaction; CaseError if unknown or closed."""
    case = (await session.execute(select(Case).where(Case.id == case_id).with_for_update())).scalar_one_or_none()
    if case is None or case.school_id != person.school_id:
        raise CaseError("unknown")
    if case.status == "closed":
        raise CaseError("closed")
    return case


def mark_in_progress(case: Case, now: datetime | None = None) -> None:
    """A counsellor has started work on the case (a note, a reply)."""
    if case.status in ("new", "acknowledged"):
        case.status = "in_progress"
    case.updated_at = now or utcnow()


async def acknowledge(*, session: AsyncSession, case_id: int, person: Person,
                      now: datetime | None = None) -> tuple[Case, bool]:
    """Record that a person has the case; return (case, first) where first is the first acknowledgement."""
    now = now or utcnow()
    case = await lock_open_case(session=session, case_id=case_id, person=person)
    if case.acknowledged_by_id is not None:
        return case, False
    case.acknowledged_by_id, case.acknowledged_at = person.id, now
    if case.status == "new":
        case.status = "acknowledged"
    case.updated_at = now
    add_event(session=session, case=case, kind="acknowledged", actor_id=person.id,
              detail={"by": person.name}, now=now)
    return case, True


async def add_note(*, session: AsyncSession, case_id: int, person: Person, text: str,
                   now: datetime | None = None) -> Case:
    """Add a counsellor's note; a note moves an acknowledged case into progress."""
    case = await lock_open_case(session=session, case_id=case_id, person=person)
    mark_in_progress(case, now)
    add_event(session=session, case=case, kind="note", actor_id=person.id, detail={"text": text[:2000]}, now=now)
    return case


async def close_case(*, session: AsyncSession, case_id: int, person: Person, outcome: str, text: str = "",
                     now: datetime | None = None) -> Case:
    """Close a case with an outcome."""
    if outcome not in OUTCOMES:
        raise CaseError("outcome")
    now = now or utcnow()
    case = await lock_open_case(session=session, case_id=case_id, person=person)
    if outcome == "referred" and (await session.execute(
            select(Referral.id).where(Referral.case_id == case.id).limit(1))).first() is None:
        raise CaseError("no_referral")  # closing as referred needs a referral record (issue 16)
    case.status, case.outcome, case.closed_at, case.updated_at = "closed", outcome, now, now
    add_event(session=session, case=case, kind="closed", actor_id=person.id,
              detail={"outcome": outcome, "text": text[:2000]}, now=now)
    return case


async def open_cases(*, session: AsyncSession, school_id: int | None = None) -> list[Case]:
    """Open cases, most urgent first, then oldest first."""
    query = select(Case).where(Case.status.in_(OPEN_STATUSES))
    if school_id is not None:
        query = query.where(Case.school_id == school_id)
    cases = list((await session.execute(query.order_by(Case.id))).scalars())
    return sorted(cases, key=lambda c: (-RANK[c.level], c.id))


async def all_cases(*, session: AsyncSession) -> list[Case]:
    """Every case, newest first."""
    return list((await session.execute(select(Case).order_by(Case.id.desc()))).scalars())


@dataclass(frozen=True)
class CaseDetail:
    """A case with its timeline."""

    case: Case
    events: list[CaseEvent]


async def case_detail(*, session: AsyncSession, case_id: int) -> CaseDetail:
    """Return the case and its events in order."""
    case = await get_case(session=session, case_id=case_id)
    events = list((await session.execute(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.at, CaseEvent.id)
    )).scalars())
    return CaseDetail(case=case, events=events)
