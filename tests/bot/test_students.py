"""Issue 16 through the services: students (same names), guardians, attention, plans, assessments,
consent and referral, contacts, the file with its role rule and audit, export and erase."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.db.base import utcnow
from bot.db.models import AuditEntry, Case, Guardian, Identity, OutboxMessage, Person, School, Student
from bot.services.crisis.cases import CaseError, close_case, open_case
from bot.services.students import (
    assessments,
    attention,
    contacts,
    file_timeline,
    institutions,
    plans,
    privacy,
    referrals,
    students,
)
from bot.services.students.errors import Forbidden, StudentError
from bot.services.students.guardians import GuardianIn
from bot.services.students.plans import MeasureIn
from bot.services.students.viewer import Viewer

SH = ZoneInfo("Asia/Shanghai")


async def _person(session, start: str) -> Person:
    return (await session.execute(select(Person).where(Person.name.startswith(start)))).scalar_one()


async def _add(session, school_id: int, name: str, klass: str, **kw) -> Student:
    return (await students.add_or_update_student(session=session, school_id=school_id, name=name, class_name=klass,
                                                 **kw)).student


async def test_same_names_guardians_and_bad_input_write_nothing(app) -> None:
    async with app.sessions() as session, session.begin():
        a = await _add(session, app.school_id, "李明", "初二(3)班",
                       guardians=[GuardianIn("王芳", "母亲", "138-0000-0000")])
        b = await _add(session, app.school_id, "李明", "初二(5)班")
        again = await students.add_or_update_student(session=session, school_id=app.school_id, name="李明",
                                                     class_name="初二(3)班", dorm_name="男生宿舍 3-101")
        assert again.student.id == a.id and not again.created and a.id != b.id
        with pytest.raises(StudentError) as err:
            await students.resolve_student(session=session, school_id=app.school_id, ref="李明")
        assert "初二(3)班 李明" in err.value.message and "初二(5)班 李明" in err.value.message
        found = await students.resolve_student(session=session, school_id=app.school_id, ref="李明 初二(5)班")
        assert found.id == b.id
        guardians = (await session.execute(select(Guardian))).scalars().all()
        assert [(g.name, g.phone) for g in guardians] == [("王芳", "13800000000")]
    async with app.sessions() as session:
        before = (await session.execute(select(func.count(Student.id)))).scalar_one()
    for bad in ("1380000000x", "12", "电话"):
        with pytest.raises(StudentError) as err:
            async with app.sessions() as session, session.begin():
                await students.add_or_update_student(session=session, school_id=app.school_id, name="张三",
                                                     class_name="初一(1)班",
                                                     guardians=[GuardianIn("张父", "父亲", bad)])
        assert "不是号码" in err.value.message
    async with app.sessions() as session:
        assert (await session.execute(select(func.count(Student.id)))).scalar_one() == before
        other = School(name="二中", timezone="Asia/Shanghai")
        session.add(other)
        await session.flush()
        with pytest.raises(StudentError, match="没有找到这个学生"):
            await students.get_student(session=session, school_id=other.id, student_id=a.id)
        counsellor = await _person(session, "陈老师")
        with pytest.raises(StudentError, match="没有找到这个学生"):  # another school's student: not editable here
            await attention.set_attention(session=session, school_id=other.id, student_id=a.id, level="特别关注",
                                          reason="x", viewer=Viewer(counsellor))
        member = await _person(session, "李小雨")
        with pytest.raises(Forbidden):
            await students.add_or_update_student(session=session, school_id=app.school_id, name="王五",
                                                 class_name="初二(3)班", viewer=Viewer(member))
        admin = Person(school_id=app.school_id, name="管理员", roles="admin")
        session.add(admin)
        await session.flush()
        await students.add_or_update_student(session=session, school_id=app.school_id, name="王五",
                                             class_name="初二(3)班", viewer=Viewer(admin))  # the roster import
        with pytest.raises(Forbidden):  # but the file is for counsellors and leaders
            await file_timeline.student_file(session=session, school_id=app.school_id, student_id=a.id,
                                             viewer=Viewer(admin))


async def test_file_role_rule_plan_versions_assessment_referral_and_close(app) -> None:
    now = utcnow()
    today = now.astimezone(SH).date()
    async with app.sessions() as session, session.begin():
        counsellor = await _person(session, "陈老师")
        teacher = Person(school_id=app.school_id, name="赵老师（班主任）", roles="head_teacher")
        session.add(teacher)
        await session.flush()
        session.add(Identity(person_id=teacher.id, channel="web", external_id="ht-zhao"))
        me = Viewer(counsellor)
        student = await _add(session, app.school_id, "李明", "初二(3)班",
                             guardians=[GuardianIn("王芳", "母亲", "13800000000")])
        case = await open_case(session=session, school_id=app.school_id, level="orange", source="concern",
                               subject="李明", now=now)
        await students.link_case(session=session, school_id=app.school_id, case_id=case.id, student_id=student.id,
                                 viewer=me)
        await attention.set_attention(session=session, school_id=app.school_id, student_id=student.id,
                                      level="重点关注", reason="连续两周情绪低落", viewer=me)
        with pytest.raises(StudentError, match="没有负责人"):
            await plans.write_plan(session=session, school_id=app.school_id, student_id=student.id, goals=["恢复睡眠"],
                                   measures=[MeasureIn("每周谈话", "", today)], review_on=today + timedelta(days=30),
                                   viewer=me, zone=SH)
        with pytest.raises(StudentError, match="已经过去"):
            await plans.write_plan(session=session, school_id=app.school_id, student_id=student.id, goals=["恢复睡眠"],
                                   measures=[], review_on=today - timedelta(days=1), viewer=me, zone=SH)
        v1 = await plans.write_plan(session=session, school_id=app.school_id, student_id=student.id,
                                    goals=["恢复睡眠"], review_on=today + timedelta(days=30), viewer=me, zone=SH,
                                    measures=[MeasureIn("每周谈话", "赵老师", today + timedelta(days=2)),
                                              MeasureIn("晚上陪伴", "监护人", today + timedelta(days=3))])
        v2 = await plans.write_plan(session=session, school_id=app.school_id, student_id=student.id,
                                    goals=["恢复睡眠", "回到课堂"], review_on=today + timedelta(days=14), viewer=me,
                                    zone=SH, measures=[MeasureIn("每周谈话", "赵老师", today + timedelta(days=7))])
        assess = await assessments.record_assessment(
            session=session, school_id=app.school_id, case_id=case.id, participants=["刘校长", "陈老师", "赵老师"],
            level="橙", recommendation="转介", reasons="睡眠差、成绩骤降", viewer=me)
        with pytest.raises(CaseError) as closing:
            await close_case(session=session, case_id=case.id, person=counsellor, outcome="referred")
        assert closing.value.reason == "no_referral"
        referral = await referrals.open_referral(session=session, school_id=app.school_id, student_id=student.id,
                                                 case_id=case.id, assessment_id=assess.id, viewer=me)
        with pytest.raises(StudentError, match="还没有监护人同意"):
            await referrals.mark_sent(session=session, school_id=app.school_id, referral_id=referral.id, viewer=me,
                                      zone=SH)
        await institutions.add_institution(session=session, school_id=app.school_id, name="市精神卫生中心",
                                           department="儿童青少年心理科", phone="0371-12345678", viewer=me)
        await referrals.record_consent(session=session, school_id=app.school_id, student_id=student.id,
                                       case_id=case.id, guardian_name="王芳", relation="母亲", how="电话", viewer=me)
        await referrals.mark_sent(session=session, school_id=app.school_id, referral_id=referral.id, viewer=me,
                                  zone=SH, institution="市精神卫生中心", feedback_due_on=today + timedelta(days=7))
        await contacts.record_contact(session=session, school_id=app.school_id, case_id=case.id, how="家访",
                                      guardian="王芳", summary="家长同意就医", next_step="陪同就诊",
                                      next_on=today + timedelta(days=1), viewer=me, zone=SH)
        await close_case(session=session, case_id=case.id, person=counsellor, outcome="referred")
        teacher_id, student_id, v1_id, v2_id = teacher.id, student.id, v1.id, v2.id
    async with app.sessions() as session, session.begin():
        teacher = await session.get(Person, teacher_id)
        with pytest.raises(Forbidden):
            await file_timeline.student_file(session=session, school_id=app.school_id, student_id=student_id,
                                             viewer=Viewer(teacher))
        tasks = await plans.tasks_of(session=session, school_id=app.school_id, person=teacher)
        assert [(m.text, name) for m, name in tasks] == [("每周谈话", "李明")]  # only the plan in force
        counsellor = await _person(session, "陈老师")
        f = await file_timeline.student_file(session=session, school_id=app.school_id, student_id=student_id,
                                             viewer=Viewer(counsellor))
        kinds = [line.kind for line in f.timeline]
        for kind in ("case_opened", "case_linked", "attention", "plan", "assessment", "consent", "referral", "contact",
                     "case_closed"):
            assert kind in kinds, kind
        assert f.plan is not None and f.plan.plan.id == v2_id and [v.plan.version for v in f.plan_versions] == [1, 2]
        assert f.plan_versions[0].plan.id == v1_id and [m.text for m in f.plan_versions[0].measures] == ["每周谈话",
                                                                                                          "晚上陪伴"]
        assert f.student.attention == "key" and f.guardians[0].relation == "母亲"
        assert [d.kind for d in f.due][0] == "measure_due"
        views = await session.execute(select(AuditEntry.actor).where(AuditEntry.action == "student.view"))
        assert views.scalars().all() == [f"person:{counsellor.id}"]
        # the first version's reminders were withdrawn; the revision's are pending once each
        rows = (await session.execute(select(OutboxMessage.ref, OutboxMessage.state, OutboxMessage.text)
                                      .where(OutboxMessage.ref.like("measure:%")))).all()
        assert sorted(r.state for r in rows) == ["cancelled", "cancelled", "pending"]
        assert all("每周谈话" not in r.text and "李明" in r.text for r in rows)  # the name, never the content
        notices = (await session.execute(select(OutboxMessage.text).where(OutboxMessage.kind == "notice"))).scalars()
        assert all("连续两周" not in t and "睡眠" not in t for t in notices)


async def test_overdue_and_export_and_erase_keeps_counts(app) -> None:
    now = utcnow()
    today = now.astimezone(SH).date()
    async with app.sessions() as session, session.begin():
        me = Viewer(await _person(session, "陈老师"))
        student = await _add(session, app.school_id, "李明", "初二(3)班",
                             guardians=[GuardianIn("王芳", "母亲", "13800000000")])
        other = await _add(session, app.school_id, "李明", "初二(5)班")
        await plans.write_plan(session=session, school_id=app.school_id, student_id=student.id, goals=["恢复睡眠"],
                               review_on=today, viewer=me, zone=SH,
                               measures=[MeasureIn("每周谈话", "陈老师", today)])
        await contacts.record_contact(session=session, school_id=app.school_id, student_id=student.id, how="电话",
                                      guardian="王芳", summary="孩子最近睡得不好", viewer=me, zone=SH)
        sid, oid = student.id, other.id
    async with app.sessions() as session:
        assert await file_timeline.overdue(session=session, school_id=app.school_id, today=today) == []
        late = await file_timeline.overdue(session=session, school_id=app.school_id, today=today + timedelta(days=1))
        assert sorted(o.kind for o in late) == ["measure", "review"] and late[0].student_name == "李明"
    async with app.sessions() as session, session.begin():
        doc = await privacy.export_markdown(session=session, school_id=app.school_id, student_id=sid, viewer=me,
                                            zone=SH)
        assert "# 学生心理成长档案：李明" in doc and "王芳（母亲）" in doc and "孩子最近睡得不好" in doc
        before = await privacy.counts(session=session, school_id=app.school_id)
        await privacy.erase_student(session=session, school_id=app.school_id, student_id=sid, viewer=me)
    async with app.sessions() as session:
        after = await privacy.counts(session=session, school_id=app.school_id)
        assert after | {"erased": before["erased"]} == before and after["erased"] == 1
        erased = await session.get(Student, sid)
        assert erased.name == "" and erased.erased_at is not None
        assert (await session.execute(select(func.count(Guardian.id)))).scalar_one() == 0
        dump = " ".join(str(v) for row in (await session.execute(select(Student))).all() for v in row)
        assert "孩子最近睡得不好" not in str((await session.execute(select(Case))).all())
        assert [s.id for s in await students.list_students(session=session, school_id=app.school_id)] == [oid]
        assert dump  # the other 李明 stays
        actions = (await session.execute(select(AuditEntry.action).where(
            AuditEntry.target == f"student:{sid}"))).scalars().all()
        assert "student.export" in actions and "student.erase" in actions
        with pytest.raises(StudentError, match="已经删除"):
            await file_timeline.student_file(session=session, school_id=app.school_id, student_id=sid, viewer=me)


async def test_emergency_referral_needs_a_reason_and_tells_the_leaders(app) -> None:
    async with app.sessions() as session, session.begin():
        me = Viewer(await _person(session, "陈老师"))
        student = await _add(session, app.school_id, "李明", "初二(3)班")
        referral = await referrals.open_referral(session=session, school_id=app.school_id, student_id=student.id,
                                                 viewer=me)
        sent = await referrals.mark_sent(session=session, school_id=app.school_id, referral_id=referral.id, viewer=me,
                                         zone=SH, emergency_reason="联系不上监护人，学生有生命危险，已拨打120")
        assert sent.state == "sent" and sent.consent_id is None
        leader = await _person(session, "刘校长")
        told = (await session.execute(select(OutboxMessage.text).where(OutboxMessage.person_id == leader.id))).scalars()
        texts = list(told)
        assert len(texts) == 1 and "紧急转介" in texts[0] and "120" not in texts[0]


async def test_feedback_reminder_return_assessment_readable_export_and_file_audit(app) -> None:
    today = utcnow().astimezone(SH).date()
    async with app.sessions() as session, session.begin():
        counsellor = await _person(session, "陈老师")
        me = Viewer(counsellor)
        student = await _add(session, app.school_id, "李明", "初二(3)班")
        case = await open_case(session=session, school_id=app.school_id, level="orange", source="concern",
                               subject="李明")
        await students.link_case(session=session, school_id=app.school_id, case_id=case.id, student_id=student.id,
                                 viewer=me)
        await referrals.record_consent(session=session, school_id=app.school_id, student_id=student.id,
                                       case_id=case.id, guardian_name="王芳", relation="母亲", how="书面", viewer=me)
        referral = await referrals.open_referral(session=session, school_id=app.school_id, student_id=student.id,
                                                 case_id=case.id, viewer=me)
        assert referral.consent_id is not None  # the consent recorded first is taken
        with pytest.raises(StudentError, match="已经过去"):
            await referrals.mark_sent(session=session, school_id=app.school_id, referral_id=referral.id, viewer=me,
                                      zone=SH, feedback_due_on=today - timedelta(days=1))
        await referrals.mark_sent(session=session, school_id=app.school_id, referral_id=referral.id, viewer=me,
                                  zone=SH, feedback_due_on=today + timedelta(days=5))
        ref = f"referral_feedback:{referral.id}"
        row = (await session.execute(select(OutboxMessage).where(OutboxMessage.ref == ref))).scalar_one()
        assert row.person_id == counsellor.id and row.state == "pending" and "转介反馈提醒" in row.text
        await referrals.record_feedback(session=session, school_id=app.school_id, referral_id=referral.id,
                                        summary="医生建议规律作息，两周后复诊", viewer=me)
        assert row.state == "cancelled"
        await referrals.record_return(session=session, school_id=app.school_id, referral_id=referral.id,
                                      participants=["陈老师", "赵老师"], level="黄", recommendation="校内辅导",
                                      reasons="返校后情绪平稳", viewer=me)
        assert referral.state == "returned" and referral.return_assessment_id is not None
        doc = await privacy.export_markdown(session=session, school_id=app.school_id, student_id=student.id,
                                            viewer=me, zone=SH)
        assert "返校评估" in doc and "建议：校内辅导" in doc and "方式：书面" in doc and "医生建议规律作息" in doc
        assert "case_id" not in doc and "recommendation" not in doc  # a guardian reads words, not field names
        trail = await file_timeline.file_audit(session=session, school_id=app.school_id, student_id=student.id,
                                               viewer=me)
        assert {"referral.consent", "student.export"} <= {e.action for e in trail}
        assert {e.actor for e in trail} == {"cli", f"person:{counsellor.id}"}  # the roster add, then the counsellor
