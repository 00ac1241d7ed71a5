"""The plan (一生一策): goals, measures each with a responsible person and a due date, a review date.

Versioned: a revision adds a version and keeps every earlier one readable. Each measure and the review
remind their person at 08:00 on the day through the outbox (one row written with the plan, withdrawn
when a revision replaces it), so a restart neither loses nor doubles a reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Measure, Person, Plan, Student
from bot.services.messaging import outbox
from bot.services.schedule.schedule_text import parse_day
from bot.services.school import audit
from bot.services.school.people import find_person
from bot.services.students import notices
from bot.services.students.errors import StudentError
from bot.services.students.students import get_student
from bot.services.students.viewer import Viewer
from bot.texts import students as SX

GUARDIAN_WORDS = ("监护人", "家长", "guardian", "guardians")


@dataclass(frozen=True)
class MeasureIn:
    """A measure as given: what, who (a person's name, or 监护人), by when."""

    text: str
    responsible: str
    due_on: date


@dataclass(frozen=True)
class _Resolved:
    text: str
    kind: str
    person_id: int | None
    due_on: date


def parse_measure(text: str, *, today: date) -> MeasureIn:
    """`text|responsible|date` (the CLI's form); the date as people write it (明天, 12/05, 2026-12-05)."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) != 3:
        raise StudentError("no_responsible", text=text[:40])
    try:
        due = parse_day(parts[2], today)
    except ValueError as exc:
        raise StudentError("date", day=parts[2][:20]) from exc
    return MeasureIn(text=parts[0], responsible=parts[1], due_on=due)


async def _resolve(session: AsyncSession, school_id: int, m: MeasureIn, now: datetime, zone: ZoneInfo) -> _Resolved:
    text = m.text.strip()
    if not text:
        raise StudentError("no_measure_text")
    ref = m.responsible.strip()
    if not ref:
        raise StudentError("no_responsible", text=text[:40])
    notices.not_past(m.due_on, "due", now=now, zone=zone)
    if ref.lower() in GUARDIAN_WORDS:
        return _Resolved(text[:2000], "guardian", None, m.due_on)
    try:
        person = await find_person(session=session, school_id=school_id, ref=ref)
    except ValueError as exc:
        raise StudentError("responsible", ref=ref[:40]) from exc
    roles = person.role_set
    kind = ("head_teacher" if "head_teacher" in roles else "counsellor" if roles & {"counsellor", "leader"}
            else "member" if roles & {"member_class", "member_dorm"} else "counsellor")
    return _Resolved(text[:2000], kind, person.id, m.due_on)


async def write_plan(*, session: AsyncSession, school_id: int, student_id: int, goals: list[str],
                     measures: list[MeasureIn], review_on: date, viewer: Viewer, zone: ZoneInfo,
                     assessment_id: int | None = None, now: datetime | None = None) -> Plan:
    """Write the student's plan: the first version, or a revision that keeps the earlier one readable."""
    viewer.require_file_access()
    now = now or utcnow()
    student = await get_student(session=session, school_id=school_id, student_id=student_id)
    if student.erased_at is not None:
        raise StudentError("erased")
    goals = [g.strip()[:500] for g in goals if g.strip()]
    if not goals:
        raise StudentError("no_goal")
    notices.not_past(review_on, "review", now=now, zone=zone)
    resolved = [await _resolve(session, school_id, m, now, zone) for m in measures]  # all checked first
    earlier = await current_plan(session=session, student_id=student.id)
    version = 1
    if earlier is not None:
        earlier.current = False
        version = earlier.version + 1
        await _withdraw(session, earlier)
    plan = Plan(school_id=school_id, student_id=student.id, version=version, current=True, goals=goals,
                review_on=review_on, assessment_id=assessment_id, owner_id=viewer.person_id, created_at=now)
    session.add(plan)
    await session.flush()
    rows = [Measure(plan_id=plan.id, text=r.text, responsible_kind=r.kind, responsible_id=r.person_id,
                    due_on=r.due_on) for r in resolved]
    session.add_all(rows)
    await session.flush()
    owner = plan.owner_id or await _a_counsellor(session, school_id)
    for row in rows:
        target = row.responsible_id or owner
        text = (SX.MEASURE_DUE if row.responsible_id else SX.GUARDIAN_MEASURE_DUE).format(name=student.name, id=row.id)
        sent = target is not None and await notices.remind_on(session=session, person_id=target, day=row.due_on,
                                                              text=text, ref=f"measure:{row.id}", zone=zone, now=now)
        if not sent and owner is not None and target != owner:  # nobody bound to remind: the plan's owner is
            await notices.remind_on(session=session, person_id=owner, day=row.due_on, ref=f"measure:{row.id}",
                                    text=SX.MEASURE_DUE_UNBOUND.format(name=student.name, id=row.id),
                                    zone=zone, now=now)
    if owner is not None:
        await notices.remind_on(session=session, person_id=owner, day=review_on, ref=f"plan_review:{plan.id}",
                                text=SX.REVIEW_DUE.format(name=student.name), zone=zone, now=now)
    audit.record(session, actor=viewer.actor, action="plan.revise" if earlier else "plan.create",
                 target=f"student:{student.id}", school_id=school_id, address=viewer.address)
    await notices.file_updated(session=session, student=student, actor_id=viewer.person_id, now=now)
    return plan


async def _a_counsellor(session: AsyncSession, school_id: int) -> int | None:
    people = await notices.staff_of(session=session, school_id=school_id, roles=("counsellor",))
    return people[0].id if people else None


async def _withdraw(session: AsyncSession, plan: Plan) -> None:
    await outbox.cancel(session=session, ref=f"plan_review:{plan.id}")
    for measure in await measures_of(session=session, plan_id=plan.id):
        await outbox.cancel(session=session, ref=f"measure:{measure.id}")


async def current_plan(*, session: AsyncSession, student_id: int) -> Plan | None:
    """The plan in force, or None."""
    return (await session.execute(select(Plan).where(
        Plan.student_id == student_id, Plan.current.is_(True)))).scalar_one_or_none()


async def versions(*, session: AsyncSession, student_id: int) -> list[Plan]:
    """Every version of the student's plan, the first first."""
    return list((await session.execute(
        select(Plan).where(Plan.student_id == student_id).order_by(Plan.version))).scalars())


async def measures_of(*, session: AsyncSession, plan_id: int) -> list[Measure]:
    """A plan version's measures in order."""
    return list((await session.execute(
        select(Measure).where(Measure.plan_id == plan_id).order_by(Measure.id))).scalars())


async def tasks_of(*, session: AsyncSession, school_id: int, person: Person) -> list[tuple[Measure, str]]:
    """What a head teacher (or anyone responsible) sees: their open measures of plans in force, with the name."""
    rows = (await session.execute(
        select(Measure, Student.name).join(Plan, Plan.id == Measure.plan_id)
        .join(Student, Student.id == Plan.student_id)
        .where(Plan.school_id == school_id, Plan.current.is_(True), Measure.responsible_id == person.id,
               Measure.done_at.is_(None), Student.erased_at.is_(None))
        .order_by(Measure.due_on, Measure.id))).all()
    audit.record(session, actor=f"person:{person.id}", action="plan.tasks", target=f"person:{person.id}",
                 school_id=school_id)
    return [(m, name) for m, name in rows]


async def mark_done(*, session: AsyncSession, school_id: int, measure_id: int, viewer: Viewer,
                    now: datetime | None = None) -> Measure:
    """Mark a measure done (its responsible person, or a counsellor); its reminder is withdrawn."""
    now = now or utcnow()
    row = (await session.execute(select(Measure, Plan).join(Plan, Plan.id == Measure.plan_id).where(
        Measure.id == measure_id, Plan.school_id == school_id))).first()
    if row is None:
        raise StudentError("measure", ref=measure_id)
    measure, _plan = row
    if not viewer.opens_files and measure.responsible_id != viewer.person_id:
        raise StudentError("not_yours", ref=measure_id)
    measure.done_at = now
    await outbox.cancel(session=session, ref=f"measure:{measure.id}")
    audit.record(session, actor=viewer.actor, action="plan.measure_done", target=f"measure:{measure.id}",
                 school_id=school_id, address=viewer.address)
    return measure


async def mark_reviewed(*, session: AsyncSession, school_id: int, student_id: int, viewer: Viewer,
                        now: datetime | None = None) -> Plan:
    """The plan in force was reviewed and kept as it is (a change is a revision: write_plan); reminder withdrawn."""
    viewer.require_file_access()
    now = now or utcnow()
    student = await get_student(session=session, school_id=school_id, student_id=student_id)
    plan = await current_plan(session=session, student_id=student.id)
    if plan is None:
        raise StudentError("plan", name=student.name)
    plan.reviewed_at = now
    await outbox.cancel(session=session, ref=f"plan_review:{plan.id}")
    audit.record(session, actor=viewer.actor, action="plan.review", target=f"student:{student.id}",
                 school_id=school_id, address=viewer.address)
    return plan


async def count_plans(*, session: AsyncSession, school_id: int) -> int:
    """How many students have a plan in force."""
    return int((await session.execute(select(func.count(Plan.id)).where(
        Plan.school_id == school_id, Plan.current.is_(True)))).scalar_one())
