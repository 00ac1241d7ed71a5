"""Referral with the guardian's consent: the consent first (who, relation, when, how, a note); a referral
cannot be marked sent without one, except as an emergency referral (a reason; the leaders are told).
Then the institution, the visit, the feedback (the institution's advice summarised, never a diagnosis
typed as fact), a feedback-due date that reminds the counsellor, and the return-to-school assessment."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Assessment, Consent, Referral, Student
from bot.db.models_students import CONSENT_HOW
from bot.services.crisis.cases import add_event
from bot.services.messaging import outbox
from bot.services.school import audit
from bot.services.students import notices
from bot.services.students.assessments import case_of, record_assessment
from bot.services.students.errors import StudentError
from bot.services.students.institutions import find_institution
from bot.services.students.students import get_student
from bot.services.students.viewer import Viewer
from bot.texts import students as SX

HOW_WORDS = {"in_person": "in_person", "当面": "in_person", "面谈": "in_person", "phone": "phone", "电话": "phone",
             "writing": "writing", "书面": "writing", "签字": "writing"}
HOW_NAMES = {"in_person": "当面", "phone": "电话", "writing": "书面"}


def parse_how(text: str) -> str:
    """in_person | phone | writing from 当面, 电话, 书面 …"""
    how = HOW_WORDS.get(text.strip().lower())
    if how not in CONSENT_HOW:
        raise StudentError("consent_how")
    return how


async def _student(session: AsyncSession, school_id: int, student_id: int) -> Student:
    student = await get_student(session=session, school_id=school_id, student_id=student_id)
    if student.erased_at is not None:
        raise StudentError("erased")
    return student


async def record_consent(*, session: AsyncSession, school_id: int, student_id: int, guardian_name: str,
                         relation: str, how: str, viewer: Viewer, case_id: int | None = None,
                         given_at: datetime | None = None, note: str = "",
                         now: datetime | None = None) -> Consent:
    """Record a guardian's consent to referral; the student's open referral of the case (if any) gets it."""
    viewer.require_file_access()
    now = now or utcnow()
    student = await _student(session, school_id, student_id)
    how = parse_how(how)
    if not guardian_name.strip() or not relation.strip():
        raise StudentError("guardian")
    if case_id is not None:
        await case_of(session=session, school_id=school_id, case_id=case_id)
    consent = Consent(school_id=school_id, student_id=student.id, case_id=case_id, guardian_name=guardian_name.strip(),
                      relation=relation.strip(), how=how, given_at=given_at or now, note=note.strip()[:2000],
                      by_id=viewer.person_id)
    session.add(consent)
    await session.flush()
    for referral in await referrals_of(session=session, student_id=student.id):
        if referral.consent_id is None and referral.state == "planned" and referral.case_id in (case_id, None):
            referral.consent_id = consent.id
    if case_id is not None:
        add_event(session=session, case=case_id, kind="consent", actor_id=viewer.person_id, now=now,
                  detail={"consent_id": consent.id, "how": how})
    audit.record(session, actor=viewer.actor, action="referral.consent", target=f"student:{student.id}",
                 school_id=school_id, address=viewer.address)
    await notices.file_updated(session=session, student=student, actor_id=viewer.person_id, now=now)
    return consent


async def open_referral(*, session: AsyncSession, school_id: int, student_id: int, viewer: Viewer,
                        case_id: int | None = None, institution: str | None = None,
                        assessment_id: int | None = None, now: datetime | None = None) -> Referral:
    """Open a referral (planned); it takes the latest consent of the student for this case, if there is one."""
    viewer.require_file_access()
    now = now or utcnow()
    student = await _student(session, school_id, student_id)
    if case_id is not None:
        await case_of(session=session, school_id=school_id, case_id=case_id)
    inst = await find_institution(session=session, school_id=school_id, ref=institution) if institution else None
    same_case = Consent.case_id.is_(None) if case_id is None else Consent.case_id == case_id
    consent = (await session.execute(select(Consent).where(Consent.student_id == student.id, same_case)
        .order_by(Consent.id.desc()).limit(1))).scalar_one_or_none()
    referral = Referral(school_id=school_id, student_id=student.id, case_id=case_id,
                        consent_id=consent.id if consent else None, assessment_id=assessment_id,
                        institution_id=inst.id if inst else None, by_id=viewer.person_id, created_at=now)
    session.add(referral)
    await session.flush()
    if case_id is not None:
        add_event(session=session, case=case_id, kind="referral_opened", actor_id=viewer.person_id, now=now,
                  detail={"referral_id": referral.id})
    audit.record(session, actor=viewer.actor, action="referral.open", target=f"referral:{referral.id}",
                 school_id=school_id, address=viewer.address)
    return referral


async def open_from_assessment(*, session: AsyncSession, school_id: int, assessment: Assessment, viewer: Viewer,
                               now: datetime | None = None) -> Referral | None:
    """An assessment recommending referral (or crisis intervention) opens the case's referral directly, when the
    case names its student and has none yet; returns it (None when nothing was opened)."""
    if assessment.recommendation not in ("referral", "crisis"):
        return None
    case = await case_of(session=session, school_id=school_id, case_id=assessment.case_id)
    if case.student_id is None or await case_has_referral(session=session, case_id=case.id):
        return None
    return await open_referral(session=session, school_id=school_id, student_id=case.student_id, case_id=case.id,
                               assessment_id=assessment.id, viewer=viewer, now=now)


async def get_referral(*, session: AsyncSession, school_id: int, referral_id: int) -> Referral:
    """The school's referral or StudentError('referral')."""
    referral = await session.get(Referral, referral_id)
    if referral is None or referral.school_id != school_id:
        raise StudentError("referral", ref=referral_id)
    return referral


async def mark_sent(*, session: AsyncSession, school_id: int, referral_id: int, viewer: Viewer, zone: ZoneInfo,
                    institution: str | None = None, visit_on: date | None = None,
                    feedback_due_on: date | None = None, emergency_reason: str = "",
                    now: datetime | None = None) -> Referral:
    """Mark the referral sent: only with a consent record, or as an emergency with its reason (leaders told)."""
    viewer.require_file_access()
    now = now or utcnow()
    referral = await get_referral(session=session, school_id=school_id, referral_id=referral_id)
    student = await _student(session, school_id, referral.student_id)
    emergency_reason = emergency_reason.strip()
    if referral.consent_id is None and not emergency_reason:
        raise StudentError("no_consent")
    notices.not_past(feedback_due_on, "feedback_due", now=now, zone=zone)
    if institution:
        referral.institution_id = (await find_institution(session=session, school_id=school_id, ref=institution)).id
    referral.state, referral.sent_at = "sent", now
    referral.visit_on = visit_on or referral.visit_on
    referral.feedback_due_on = feedback_due_on or referral.feedback_due_on
    if referral.consent_id is None:
        referral.emergency_reason = emergency_reason[:2000]
        for leader in await notices.staff_of(session=session, school_id=school_id, roles=("leader",)):
            await outbox.to_person(session=session, person_id=leader.id, kind="notice", due_at=now,
                                   ref=notices.student_ref(student.id),
                                   priority=outbox.PRIORITY_PAGE, case_id=referral.case_id,
                                   text=SX.EMERGENCY_REFERRAL.format(name=student.name))
    if referral.feedback_due_on is not None:
        target = viewer.person_id or referral.by_id
        if target is not None:
            await notices.remind_on(session=session, person_id=target, day=referral.feedback_due_on,
                                    text=SX.FEEDBACK_DUE.format(name=student.name, id=referral.id),
                                    ref=f"referral_feedback:{referral.id}", zone=zone, now=now)
    if referral.case_id is not None:
        add_event(session=session, case=referral.case_id, kind="referral_sent", actor_id=viewer.person_id, now=now,
                  detail={"referral_id": referral.id, "emergency": referral.consent_id is None})
    audit.record(session, actor=viewer.actor,
                 action="referral.emergency" if referral.consent_id is None else "referral.send",
                 target=f"referral:{referral.id}", school_id=school_id, address=viewer.address)
    await notices.file_updated(session=session, student=student, actor_id=viewer.person_id, now=now)
    return referral


async def record_feedback(*, session: AsyncSession, school_id: int, referral_id: int, summary: str, viewer: Viewer,
                          now: datetime | None = None) -> Referral:
    """Record the institution's feedback (its advice, summarised); the feedback reminder is withdrawn."""
    viewer.require_file_access()
    now = now or utcnow()
    referral = await get_referral(session=session, school_id=school_id, referral_id=referral_id)
    if not summary.strip():
        raise StudentError("text")
    referral.feedback, referral.feedback_at = summary.strip()[:4000], now
    await outbox.cancel(session=session, ref=f"referral_feedback:{referral.id}")
    audit.record(session, actor=viewer.actor, action="referral.feedback", target=f"referral:{referral.id}",
                 school_id=school_id, address=viewer.address)
    return referral


async def record_return(*, session: AsyncSession, school_id: int, referral_id: int, participants: list[str],
                        level: str, recommendation: str, reasons: str, viewer: Viewer,
                        now: datetime | None = None) -> Referral:
    """The return-to-school assessment after the referral (an assessment of kind 'return' on its case)."""
    referral = await get_referral(session=session, school_id=school_id, referral_id=referral_id)
    if referral.case_id is None:
        raise StudentError("unknown_case", case_id="?")
    row = await record_assessment(session=session, school_id=school_id, case_id=referral.case_id,
                                  participants=participants, level=level, recommendation=recommendation,
                                  reasons=reasons, viewer=viewer, kind="return", now=now)
    referral.return_assessment_id, referral.state = row.id, "returned"
    return referral


async def referrals_of(*, session: AsyncSession, student_id: int) -> list[Referral]:
    """The student's referrals, oldest first."""
    return list((await session.execute(
        select(Referral).where(Referral.student_id == student_id).order_by(Referral.id))).scalars())


async def consents_of(*, session: AsyncSession, student_id: int) -> list[Consent]:
    """The student's consent records, oldest first."""
    return list((await session.execute(
        select(Consent).where(Consent.student_id == student_id).order_by(Consent.given_at, Consent.id))).scalars())


async def case_has_referral(*, session: AsyncSession, case_id: int) -> bool:
    """Whether a referral record exists for the case (closing it as `referred` needs one)."""
    return (await session.execute(select(Referral.id).where(Referral.case_id == case_id).limit(1))).first() is not None
