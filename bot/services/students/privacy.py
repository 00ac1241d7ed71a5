"""A guardian's lawful request: the file as one document (export), and erasure of a student's personal
data that keeps the anonymous counts (how many files, plans, assessments, referrals, contacts). Both audited."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, false, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import (
    Assessment,
    Case,
    CaseEvent,
    Consent,
    Contact,
    Guardian,
    Measure,
    OutboxMessage,
    Plan,
    Referral,
    Report,
    Student,
    StudentEvent,
    Thread,
    ThreadMessage,
    WebChatMessage,
)
from bot.services.school import audit
from bot.services.students.attention import LEVEL_NAMES
from bot.services.students.errors import StudentError
from bot.services.students.file_timeline import student_file
from bot.services.students.students import get_student
from bot.services.students.viewer import Viewer

# Case lines that carry what someone wrote or said about the student, and the keys that hold it.
TEXT_EVENTS = ("note", "reply", "closed", "identity_told", "reporter_added", "student_message", "mailbox_note",
               "report", "direct_answer")
TEXT_KEYS = ("text", "name", "class", "summary", "excerpt")

RESPONSIBLE_NAMES = {"head_teacher": "班主任", "counsellor": "心理老师", "member": "心理委员", "guardian": "监护人"}
KIND_NAMES = {"case_opened": "案例开启", "case_closed": "案例结案", "follow_up_due": "约定跟进",
              "attention": "关注等级",
              "case_linked": "关联案例", "case_unlinked": "取消关联", "identity_told": "学生本人告知身份",
              "plan": "一生一策计划", "assessment": "评估", "consent": "监护人同意", "referral": "转介",
              "referral_feedback": "转介反馈", "contact": "家校联系",
              "case_follow_up_set": "约定跟进", "case_note": "心理老师记录"}


# How the document names each field of a line, and the words for its coded values (a guardian reads it).
KEY_NAMES = {"case_id": "案例", "level": "等级", "source": "来源", "outcome": "结果", "on": "日期", "from": "原等级",
             "to": "新等级", "reason": "理由", "how": "方式", "version": "版本", "goals": "目标",
             "review_on": "复查日期",
             "measures": "措施", "participants": "参加评估", "recommendation": "建议", "reasons": "理由",
             "kind": "类别", "guardian": "监护人", "relation": "关系", "note": "说明", "state": "状态",
             "emergency": "紧急转介", "visit_on": "就诊日期", "feedback": "机构反馈（摘要）", "summary": "内容",
             "next_step": "下一步", "next_on": "下一步日期", "text": "记录", "by": "记录人"}
HIDDEN = ("plan_id", "assessment_id", "consent_id", "referral_id", "contact_id", "student_id", "measure_id")
VALUE_NAMES = {
    "level": {"red": "红色", "orange": "橙色", "yellow": "黄色", "none": "无"},
    "source": {"concern": "心理委员报告", "mailbox": "心理信箱"},
    "outcome": {"resolved": "已解决", "referred": "已转介", "false_report": "误报", "duplicate": "重复"},
    "from": LEVEL_NAMES, "to": LEVEL_NAMES,
    "how": {"in_person": "当面", "phone": "电话", "writing": "书面", "home_visit": "家访", "meeting": "家长会",
            "counsellor": "心理老师", "reporter": "报告人确认", "student": "学生本人"},
    "recommendation": {"monitor": "持续观察", "counselling": "校内辅导", "referral": "转介", "crisis": "危机干预"},
    "kind": {"risk": "风险评估", "return": "返校评估"},
    "state": {"planned": "计划中", "sent": "已转介", "returned": "已返校"},
    "emergency": {"True": "是", "False": "否"},
}


def _detail(detail: dict) -> str:
    parts = []
    for key, value in detail.items():
        if key in HIDDEN or value in (None, "", [], {}, False):
            continue
        if isinstance(value, list):
            value = "；".join(str(v) for v in value)
        value = VALUE_NAMES.get(key, {}).get(str(value), value)
        parts.append(f"{KEY_NAMES.get(key, key)}：{value}")
    return "，".join(parts)


async def export_markdown(*, session: AsyncSession, school_id: int, student_id: int, viewer: Viewer,
                          zone: ZoneInfo) -> str:
    """The whole file as a Markdown document (audited as student.export)."""
    f = await student_file(session=session, school_id=school_id, student_id=student_id, viewer=viewer,
                           action="student.export")
    s = f.student
    lines = [f"# 学生心理成长档案：{s.name}", "",
             f"- 班级：{f.class_name or '—'}", f"- 寝室：{f.dorm_name or '—'}", f"- 学号：{s.number or '—'}",
             f"- 关注等级：{LEVEL_NAMES.get(s.attention or '', '未设')}"
             + (f"（{s.attention_reason}）" if s.attention else ""),
             "", "## 监护人", ""]
    lines += [f"- {g.name}（{g.relation}）{g.phone}" for g in f.guardians] or ["- （无）"]
    lines += ["", "## 一生一策计划", ""]
    for v in f.plan_versions:
        lines.append(f"### 第 {v.plan.version} 版（{'现行' if v.plan.current else '已修订'}，复查日期 "
                     f"{v.plan.review_on.isoformat()}）")
        lines += [f"- 目标：{g}" for g in v.plan.goals]
        lines += [f"- 措施：{m.text}（负责：{RESPONSIBLE_NAMES.get(m.responsible_kind, '')}，"
                  f"完成日期 {m.due_on.isoformat()}"
                  f"{'，已完成' if m.done_at else ''}）" for m in v.measures]
        lines.append("")
    lines += ["## 时间线", ""]
    for line in f.timeline:
        lines.append(f"- {line.at.astimezone(zone):%Y-%m-%d %H:%M} {KIND_NAMES.get(line.kind, line.kind)}："
                     f"{_detail(line.detail)}")
    lines += ["", f"导出时间：{utcnow().astimezone(zone):%Y-%m-%d %H:%M}（{zone.key}）", ""]
    return "\n".join(lines)


async def erase_student(*, session: AsyncSession, school_id: int, student_id: int, viewer: Viewer,
                        now: datetime | None = None) -> Student:
    """Remove the student's personal data: name, number, dorm, head teacher, guardians, every text of the file,
    and in the linked cases the name, the reports' and the thread's texts and the notes; the rows stay as
    anonymous counts with their kinds, levels, outcomes and dates."""
    viewer.require_file_access()
    now = now or utcnow()
    student = await get_student(session=session, school_id=school_id, student_id=student_id)
    sid = student.id
    linked = list((await session.execute(select(Case).where(Case.student_id == sid))).scalars())
    if any(c.status != "closed" for c in linked):
        raise StudentError("open_cases", ids="、".join(f"#{c.id}" for c in linked if c.status != "closed"))
    case_ids = [c.id for c in linked]
    plan_ids = list((await session.execute(select(Plan.id).where(Plan.student_id == sid))).scalars())
    await session.execute(delete(Guardian).where(Guardian.student_id == sid))
    await session.execute(update(StudentEvent).where(StudentEvent.student_id == sid).values(detail={}))
    await session.execute(update(Plan).where(Plan.student_id == sid).values(goals=[]))
    if plan_ids:
        await session.execute(update(Measure).where(Measure.plan_id.in_(plan_ids)).values(text=""))
    await session.execute(update(Consent).where(Consent.student_id == sid).values(guardian_name="", note=""))
    await session.execute(update(Referral).where(Referral.student_id == sid).values(feedback="", emergency_reason=""))
    await session.execute(update(Contact).where(Contact.student_id == sid).values(
        guardian="", summary="", next_step=""))
    if case_ids:
        await session.execute(update(Contact).where(Contact.case_id.in_(case_ids)).values(
            guardian="", summary="", next_step=""))
        await session.execute(update(Assessment).where(Assessment.case_id.in_(case_ids)).values(
            participants=[], reasons=""))
        await session.execute(update(Case).where(Case.id.in_(case_ids)).values(subject=""))
        await session.execute(update(Report).where(Report.case_id.in_(case_ids)).values(
            subject="", text="", evidence=[]))
        events = (await session.execute(select(CaseEvent).where(
            CaseEvent.case_id.in_(case_ids), CaseEvent.kind.in_(TEXT_EVENTS)))).scalars()
        for event in events:  # the line stays (a count, a time); what it said goes
            event.detail = {k: v for k, v in (event.detail or {}).items() if k not in TEXT_KEYS}
        thread_ids = select(Thread.id).where(Thread.case_id.in_(case_ids)).scalar_subquery()
        await session.execute(update(ThreadMessage).where(ThreadMessage.thread_id.in_(thread_ids)).values(text=""))

    await _forget_messages(session, sid, case_ids, plan_ids)
    student.name, student.number, student.attention_reason = "", "", ""
    student.head_teacher_id, student.dorm_id, student.erased_at, student.updated_at = None, None, now, now
    audit.record(session, actor=viewer.actor, action="student.erase", target=f"student:{sid}", school_id=school_id,
                 address=viewer.address)
    return student


async def _forget_messages(session: AsyncSession, sid: int, case_ids: list[int], plan_ids: list[int]) -> None:
    """Pushes that name the student (pages and notices of the linked cases, the file's notices and reminders):
    their text goes, in the outbox and in the web chat inbox; a reminder not yet sent is withdrawn."""
    measure_ids = list((await session.execute(select(Measure.id).where(Measure.plan_id.in_(plan_ids))))
                       .scalars()) if plan_ids else []
    referral_ids = list((await session.execute(select(Referral.id).where(Referral.student_id == sid))).scalars())
    contact_ids = list((await session.execute(select(Contact.id).where(
        or_(Contact.student_id == sid, Contact.case_id.in_(case_ids) if case_ids else false())))).scalars())
    refs = ([f"student:{sid}"] + [f"measure:{i}" for i in measure_ids] + [f"plan_review:{i}" for i in plan_ids]
            + [f"referral_feedback:{i}" for i in referral_ids] + [f"contact_next:{i}" for i in contact_ids])
    about = or_(OutboxMessage.ref.in_(refs), OutboxMessage.case_id.in_(case_ids) if case_ids else false())
    texts = set((await session.execute(select(OutboxMessage.text).where(about))).scalars()) - {""}
    await session.execute(update(OutboxMessage).where(about, OutboxMessage.state == "pending",
                                                      OutboxMessage.ref.in_(refs)).values(state="cancelled"))
    await session.execute(update(OutboxMessage).where(about, OutboxMessage.state != "pending").values(text=""))
    if texts:
        await session.execute(update(WebChatMessage).where(WebChatMessage.text.in_(texts)).values(text=""))
    if case_ids:
        await session.execute(update(WebChatMessage).where(WebChatMessage.case_id.in_(case_ids)).values(text=""))


async def counts(*, session: AsyncSession, school_id: int) -> dict[str, int]:
    """Anonymous counts of the school's files (erased students included): no name, no content."""
    async def n(model, *where) -> int:
        return int((await session.execute(select(func.count()).select_from(model).where(*where))).scalar_one())

    result = {
        "students": await n(Student, Student.school_id == school_id),
        "erased": await n(Student, Student.school_id == school_id, Student.erased_at.is_not(None)),
        "plans": await n(Plan, Plan.school_id == school_id),
        "assessments": await n(Assessment, Assessment.school_id == school_id),
        "consents": await n(Consent, Consent.school_id == school_id),
        "referrals": await n(Referral, Referral.school_id == school_id),
        "contacts": await n(Contact, Contact.school_id == school_id),
        "home_visits": await n(Contact, Contact.school_id == school_id, Contact.how == "home_visit"),
    }
    for level in LEVEL_NAMES:
        result[f"attention_{level}"] = await n(Student, Student.school_id == school_id, Student.attention == level)
    return result
