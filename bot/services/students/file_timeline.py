"""A student's file: the current state and one ordered timeline (cases with their outcomes, attention,
plan versions, assessments, consents, referrals, contacts, follow-ups), for the console page, the CLI and
the export. Only counsellors and leaders open it (Forbidden otherwise), and every opening is audited.
Also what is overdue (measures, reviews, referral feedback), for the queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AuditEntry, Case, CaseEvent, Guardian, Measure, Plan, Referral, Student, StudentEvent
from bot.services.school import audit
from bot.services.students import assessments, contacts, plans, referrals
from bot.services.students.errors import StudentError
from bot.services.students.guardians import guardians_of
from bot.services.students.students import cases_of, get_student, group_names
from bot.services.students.viewer import Viewer

CASE_WORK = ("follow_up_set", "note")  # case lines the file shows (follow-ups done and due, the counsellor's notes)


@dataclass(frozen=True)
class Line:
    """One line of the file's timeline: when, what kind, and its fields (ids, levels, texts)."""

    at: datetime
    kind: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class PlanVersion:
    plan: Plan
    measures: list[Measure]


@dataclass
class StudentFile:
    """Everything the file shows."""

    student: Student
    class_name: str
    dorm_name: str
    guardians: list[Guardian]
    cases: list[Case]
    plan: PlanVersion | None
    plan_versions: list[PlanVersion]
    referrals: list[Referral]
    timeline: list[Line] = field(default_factory=list)
    due: list[Line] = field(default_factory=list)  # what is still to do, soonest first


def _day(d: date) -> datetime:
    return datetime.combine(d, time(0), UTC)


async def student_file(*, session: AsyncSession, school_id: int, student_id: int, viewer: Viewer,
                       action: str = "student.view") -> StudentFile:
    """Open a student's file (counsellors and leaders only; audited as `action`)."""
    viewer.require_file_access()
    student = await get_student(session=session, school_id=school_id, student_id=student_id)
    if student.erased_at is not None:
        raise StudentError("erased")
    audit.record(session, actor=viewer.actor, action=action, target=f"student:{student.id}", school_id=school_id,
                 address=viewer.address)
    groups = await group_names(session=session, school_id=school_id)
    cases = await cases_of(session=session, school_id=school_id, student_id=student.id)
    case_ids = [c.id for c in cases]
    versions = [PlanVersion(p, await plans.measures_of(session=session, plan_id=p.id))
                for p in await plans.versions(session=session, student_id=student.id)]
    current = next((v for v in versions if v.plan.current), None)
    refs = await referrals.referrals_of(session=session, student_id=student.id)
    lines: list[Line] = []
    for case in cases:
        lines.append(Line(case.created_at, "case_opened", {"case_id": case.id, "level": case.level,
                                                           "source": case.source}))
        if case.closed_at is not None:
            lines.append(Line(case.closed_at, "case_closed", {"case_id": case.id, "outcome": case.outcome}))
        if case.follow_up_on is not None and case.status == "monitoring":
            lines.append(Line(_day(case.follow_up_on), "follow_up_due", {"case_id": case.id,
                                                                         "on": case.follow_up_on.isoformat()}))
    if case_ids:  # the follow-ups done and the notes of the linked cases
        for ev in (await session.execute(select(CaseEvent).where(
                CaseEvent.case_id.in_(case_ids), CaseEvent.kind.in_(CASE_WORK)))).scalars():
            lines.append(Line(ev.at, f"case_{ev.kind}", {"case_id": ev.case_id, **{
                k: v for k, v in (ev.detail or {}).items() if k in ("on", "text", "by")}}))
    events = (await session.execute(select(StudentEvent).where(StudentEvent.student_id == student.id))).scalars()
    lines += [Line(e.at, e.kind, dict(e.detail)) for e in events]
    for v in versions:
        lines.append(Line(v.plan.created_at, "plan", {"plan_id": v.plan.id, "version": v.plan.version,
                                                      "goals": list(v.plan.goals),
                                                      "review_on": v.plan.review_on.isoformat(),
                                                      "measures": [m.text for m in v.measures]}))
    for a in await assessments.of_cases(session=session, case_ids=case_ids):
        lines.append(Line(a.held_at, "assessment", {"assessment_id": a.id, "case_id": a.case_id, "kind": a.kind,
                                                    "participants": list(a.participants), "level": a.level,
                                                    "recommendation": a.recommendation, "reasons": a.reasons}))
    for c in await referrals.consents_of(session=session, student_id=student.id):
        lines.append(Line(c.given_at, "consent", {"consent_id": c.id, "guardian": c.guardian_name,
                                                  "relation": c.relation, "how": c.how, "note": c.note}))
    for r in refs:
        lines.append(Line(r.created_at, "referral", {"referral_id": r.id, "state": r.state,
                                                     "emergency": bool(r.emergency_reason),
                                                     "visit_on": r.visit_on.isoformat() if r.visit_on else None}))
        if r.feedback_at is not None:
            lines.append(Line(r.feedback_at, "referral_feedback", {"referral_id": r.id, "feedback": r.feedback}))
    for k in await contacts.contacts_of(session=session, student_id=student.id, case_ids=case_ids):
        lines.append(Line(k.at, "contact", {"contact_id": k.id, "how": k.how, "guardian": k.guardian,
                                            "summary": k.summary, "next_step": k.next_step,
                                            "next_on": k.next_on.isoformat() if k.next_on else None}))
    lines.sort(key=lambda line: line.at)
    due: list[Line] = []
    if current is not None:
        due += [Line(_day(m.due_on), "measure_due", {"measure_id": m.id, "text": m.text, "on": m.due_on.isoformat()})
                for m in current.measures if m.done_at is None]
        due.append(Line(_day(current.plan.review_on), "review_due", {"plan_id": current.plan.id,
                                                                     "on": current.plan.review_on.isoformat()}))
    due += [Line(_day(r.feedback_due_on), "feedback_due", {"referral_id": r.id, "on": r.feedback_due_on.isoformat()})
            for r in refs if r.feedback_due_on is not None and r.feedback_at is None]
    due.sort(key=lambda line: line.at)
    return StudentFile(student=student, class_name=groups.get(student.class_id or 0, ""),
                       dorm_name=groups.get(student.dorm_id or 0, ""),
                       guardians=await guardians_of(session=session, student_id=student.id), cases=cases,
                       plan=current, plan_versions=versions, referrals=refs, timeline=lines, due=due)


@dataclass(frozen=True)
class Overdue:
    """Something of a file past its date: a measure, a plan review, a referral's feedback."""

    kind: str  # measure | review | feedback
    student_id: int
    student_name: str
    due_on: date
    ref_id: int
    responsible_id: int | None


async def overdue(*, session: AsyncSession, school_id: int, today: date) -> list[Overdue]:
    """Everything overdue in the school's files, oldest first (for the queue and 待处理)."""
    out: list[Overdue] = []
    live = (Plan.school_id == school_id, Plan.current.is_(True), Student.erased_at.is_(None))
    for m, p, s in (await session.execute(select(Measure, Plan, Student).join(Plan, Plan.id == Measure.plan_id)
                                          .join(Student, Student.id == Plan.student_id)
                                          .where(*live, Measure.done_at.is_(None), Measure.due_on < today))).all():
        out.append(Overdue("measure", s.id, s.name, m.due_on, m.id, m.responsible_id or p.owner_id))
    for p, s in (await session.execute(select(Plan, Student).join(Student, Student.id == Plan.student_id)
                                       .where(*live, Plan.review_on < today, Plan.reviewed_at.is_(None)))).all():
        out.append(Overdue("review", s.id, s.name, p.review_on, p.id, p.owner_id))
    for r, s in (await session.execute(select(Referral, Student).join(Student, Student.id == Referral.student_id)
                                       .where(Referral.school_id == school_id, Student.erased_at.is_(None),
                                              Referral.feedback_due_on < today, Referral.feedback_at.is_(None)))).all():
        out.append(Overdue("feedback", s.id, s.name, r.feedback_due_on, r.id, r.by_id))  # type: ignore[arg-type]
    return sorted(out, key=lambda o: (o.due_on, o.kind, o.ref_id))


async def file_audit(*, session: AsyncSession, school_id: int, student_id: int, viewer: Viewer) -> list[AuditEntry]:
    """Who opened, exported or changed the file, newest first (counsellors and leaders; itself audited)."""
    viewer.require_file_access()
    await get_student(session=session, school_id=school_id, student_id=student_id)
    found = list(await audit.entries(session, school_id=school_id, target=f"student:{student_id}"))
    audit.record(session, actor=viewer.actor, action="student.audit_view", target=f"student:{student_id}",
                 school_id=school_id, address=viewer.address)
    return found
