"""Students' files in the console (issue 16): the list and the file page by role, each form through its service
(refusals are 4xx with the reason and keep nothing), the consent rule, 我的任务, the queue's overdue section."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.db.base import utcnow
from bot.db.models import Assessment, AuditEntry, Case, Consent, Contact, Measure, Plan, Referral, Student
from bot.services.crisis.cases import open_case
from bot.services.students import institutions, plans, students
from bot.services.students.guardians import GuardianIn
from bot.services.students.plans import MeasureIn
from bot.services.students.viewer import Viewer
from tests.console.helpers import add_person, give_password, other_school, person

SH = ZoneInfo("Asia/Shanghai")


def _today():
    return utcnow().astimezone(SH).date()


async def _world(app: App) -> dict[str, int]:
    """A student with a guardian and a linked case, an unlinked case, a mailbox case, an institution."""
    chen = await person(app, "陈老师")
    async with app.sessions() as session, session.begin():
        saved = await students.add_or_update_student(session=session, school_id=app.school_id, name="李明",
                                                     class_name="初二(3)班",
                                                     guardians=[GuardianIn("王芳", "母亲", "13800000000")])
        other = await students.add_or_update_student(session=session, school_id=app.school_id, name="张伟",
                                                     class_name="初二(5)班")
        case = await open_case(session=session, school_id=app.school_id, level="orange", source="concern",
                               subject="李明")
        loose = await open_case(session=session, school_id=app.school_id, level="yellow", source="concern",
                                subject="李明")
        anon = await open_case(session=session, school_id=app.school_id, level="yellow", source="mailbox")
        await session.flush()
        await students.link_case(session=session, school_id=app.school_id, case_id=case.id,
                                 student_id=saved.student.id, viewer=Viewer(chen))
        inst = await institutions.add_institution(session=session, school_id=app.school_id, name="市精神卫生中心",
                                                  department="儿童青少年科", viewer=Viewer(chen))
        return {"student": saved.student.id, "other": other.student.id, "case": case.id, "loose": loose.id,
                "anon": anon.id, "inst": inst.id}


async def _signed_in(app: App, browser, name: str = "陈老师"):
    who = await person(app, name)
    await give_password(app, who)
    b = browser()
    r = await b.sign_in(who)
    assert r.status_code == 303, r.text
    return b


async def _count(app: App, model) -> int:
    async with app.sessions() as session:
        return int((await session.execute(select(func.count(model.id)))).scalar_one())


async def test_roles_on_the_list_and_the_file(app: App, browser) -> None:
    ids = await _world(app)
    school2 = await other_school(app)
    async with app.sessions() as session, session.begin():
        far = await students.add_or_update_student(session=session, school_id=school2, name="赵六",
                                                   class_name="初一(1)班")
        far_id = far.student.id
    people = {role: await add_person(app, f"测试{role}", roles) for role, roles in
              {"leader": "leader", "head_teacher": "head_teacher", "admin": "admin"}.items()}
    for p in people.values():
        await give_password(app, p)
    b = await _signed_in(app, browser)
    page = await b.get("/console/students")
    assert 'href="/console/students"' in page.text, "the nav entry"
    assert page.status_code == 200 and "李明" in page.text and "张伟" in page.text and "赵六" not in page.text
    found = await b.get("/console/students", params={"name": "李", "class": "初二(3)"})
    assert "李明" in found.text and "张伟" not in found.text
    assert (await b.get(f"/console/students/{ids['student']}")).status_code == 200
    for bad in (far_id, 99999):
        r = await b.get(f"/console/students/{bad}")
        assert r.status_code == 404 and "赵六" not in r.text
    r = await b.post(f"/console/students/{far_id}/attention", {"level": "key", "reason": "试试"})
    assert r.status_code == 404
    leader = browser()
    await leader.sign_in(people["leader"])
    assert (await leader.get(f"/console/students/{ids['student']}")).status_code == 200
    for role in ("head_teacher", "admin"):
        c = browser()
        await c.sign_in(people[role])
        for path in ("/console/students", f"/console/students/{ids['student']}",
                     f"/console/cases/{ids['case']}/student"):
            r = await c.get(path)
            assert r.status_code == 403 and "王芳" not in r.text and "13800000000" not in r.text, (role, path)
        await c.get("/console/security")
        r = await c.post(f"/console/students/{ids['student']}/attention", {"level": "key", "reason": "试试"})
        assert r.status_code == 403
        nav = (await c.get("/console/security")).text
        assert "学生档案" not in nav and (("/console/tasks" in nav) == (role == "head_teacher"))
    async with app.sessions() as session:
        refused = {e.actor for e in (await session.execute(select(AuditEntry).where(
            AuditEntry.action == "console.refused_forbidden"))).scalars()}
        opened = [e.action for e in (await session.execute(select(AuditEntry).where(
            AuditEntry.target == f"student:{ids['student']}"))).scalars()]
    assert f"person:{people['admin'].id}" in refused and "student.view" in opened
    async with app.sessions() as session:
        assert (await session.get(Student, ids["student"])).attention in (None, "", "general")


async def test_attention_and_plan_forms(app: App, browser) -> None:
    ids = await _world(app)
    teacher = await add_person(app, "赵老师", "head_teacher")
    sid, today = ids["student"], _today()
    b = await _signed_in(app, browser)
    await b.get(f"/console/students/{sid}")
    r = await b.post(f"/console/students/{sid}/attention", {"level": "key", "reason": ""})
    assert r.status_code == 400 and "请写明理由" in r.text
    r = await b.post(f"/console/students/{sid}/attention", {"level": "key", "reason": "<script>alert(1)</script>"})
    assert r.status_code == 303
    page = await b.get(f"/console/students/{sid}")
    assert "重点关注" in page.text and "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text
    plan = {"goals": "恢复睡眠\n回到课堂", "m0_text": "每周谈话", "m0_who": str(teacher.id),
            "m0_due": (today + timedelta(days=3)).isoformat(), "review_on": (today + timedelta(days=30)).isoformat()}
    r = await b.post(f"/console/students/{sid}/plan", {**plan, "m1_text": "晚上陪伴", "m1_who": "",
                                                       "m1_due": (today + timedelta(days=3)).isoformat()})
    assert r.status_code == 400 and "没有负责人" in r.text
    r = await b.post(f"/console/students/{sid}/plan", {**plan, "review_on": (today - timedelta(days=1)).isoformat()})
    assert r.status_code == 400 and "已经过去" in r.text
    r = await b.post(f"/console/students/{sid}/plan", {**plan, "m0_due": (today - timedelta(days=1)).isoformat()})
    assert r.status_code == 400 and "已经过去" in r.text
    r = await b.post(f"/console/students/{sid}/plan", {**plan, "m0_due": "明天"})
    assert r.status_code == 400 and "完成日期" in r.text
    assert await _count(app, Plan) == 0 and await _count(app, Measure) == 0, "nothing half-written"
    assert (await b.post(f"/console/students/{sid}/plan", plan)).status_code == 303
    await b.get(f"/console/students/{sid}")
    revised = {**plan, "goals": "回到课堂", "m1_text": "晚上陪伴", "m1_who": "监护人",
               "m1_due": (today + timedelta(days=5)).isoformat()}
    assert (await b.post(f"/console/students/{sid}/plan", revised)).status_code == 303
    page = await b.get(f"/console/students/{sid}")
    assert "第 2 版" in page.text and "以前的版本" in page.text and "恢复睡眠" in page.text
    assert "负责：监护人" in page.text and "负责：赵老师" in page.text
    r = await b.post(f"/console/students/{sid}/attention", {"level": "key", "reason": "x"}, csrf="forged")
    assert r.status_code == 403
    # the head teacher's 我的任务: only their measures, marked done there
    await give_password(app, teacher)
    t = browser()
    await t.sign_in(teacher)
    tasks = await t.get("/console/tasks")
    assert tasks.status_code == 200 and "每周谈话" in tasks.text and "晚上陪伴" not in tasks.text
    assert "王芳" not in tasks.text and "<script>" not in tasks.text
    async with app.sessions() as session:
        mine = (await session.execute(select(Measure).join(Plan).where(
            Plan.current.is_(True), Measure.responsible_id == teacher.id))).scalar_one()
        guardian = (await session.execute(select(Measure).join(Plan).where(
            Plan.current.is_(True), Measure.responsible_kind == "guardian"))).scalar_one()
    r = await t.post(f"/console/tasks/{guardian.id}/done")
    assert r.status_code == 400 and "不是你负责的" in r.text
    assert (await t.post(f"/console/tasks/{mine.id}/done")).status_code == 303
    assert "每周谈话" not in (await t.get("/console/tasks")).text
    async with app.sessions() as session:
        assert (await session.get(Measure, mine.id)).done_at is not None
        assert (await session.get(Measure, guardian.id)).done_at is None


async def test_assessment_consent_referral_feedback_contact(app: App, browser) -> None:
    ids = await _world(app)
    sid, today = ids["student"], _today()
    b = await _signed_in(app, browser)
    await b.get(f"/console/students/{sid}")
    r = await b.post(f"/console/students/{sid}/assess", {"case": str(ids["case"]), "participants": "",
                                                         "level": "orange", "recommendation": "referral",
                                                         "reasons": "睡眠差"})
    assert r.status_code == 400 and "参加评估的人" in r.text
    r = await b.post(f"/console/students/{sid}/assess", {"case": str(ids["loose"]), "participants": "陈老师",
                                                         "level": "orange", "recommendation": "referral",
                                                         "reasons": "睡眠差"})
    assert r.status_code == 400 and "没有关联到这个学生" in r.text
    assert await _count(app, Assessment) == 0
    r = await b.post(f"/console/students/{sid}/assess", {
        "case": str(ids["case"]), "participants": "刘校长、陈老师，赵老师", "level": "orange",
        "recommendation": "referral", "reasons": "睡眠差、成绩骤降", "open_referral": "1"})
    assert r.status_code == 303
    async with app.sessions() as session:
        a = (await session.execute(select(Assessment))).scalar_one()
        referral = (await session.execute(select(Referral))).scalar_one()
    assert a.participants == ["刘校长", "陈老师", "赵老师"] and referral.case_id == ids["case"]
    assert referral.consent_id is None and referral.state == "planned"
    await b.get(f"/console/students/{sid}")
    due = (today + timedelta(days=7)).isoformat()
    r = await b.post(f"/console/students/{sid}/send", {"referral": str(referral.id), "feedback_due_on": due})
    assert r.status_code == 400 and "还没有监护人同意" in r.text
    async with app.sessions() as session:
        assert (await session.get(Referral, referral.id)).state == "planned"
    r = await b.post(f"/console/students/{sid}/consent", {"case": str(ids["case"]), "guardian": "王芳",
                                                          "relation": "母亲", "how": "信鸽", "note": ""})
    assert r.status_code == 400 and "同意方式" in r.text and await _count(app, Consent) == 0
    r = await b.post(f"/console/students/{sid}/consent", {"case": str(ids["case"]), "guardian": "王芳",
                                                          "relation": "母亲", "how": "phone",
                                                          "given_at": f"{today.isoformat()}T08:30", "note": "同意就诊"})
    assert r.status_code == 303
    r = await b.post(f"/console/students/{sid}/send", {"referral": str(referral.id), "feedback_due_on": due,
                                                       "visit_on": due})
    assert r.status_code == 303
    async with app.sessions() as session:
        sent = await session.get(Referral, referral.id)
        assert sent.state == "sent" and sent.consent_id is not None and sent.feedback_due_on.isoformat() == due
    page = await b.get(f"/console/students/{sid}")
    assert "已送出" in page.text and "王芳 母亲 电话 同意就诊" in page.text
    r = await b.post(f"/console/students/{sid}/feedback", {"referral": str(referral.id), "feedback": "建议门诊随访"})
    assert r.status_code == 303
    # a referral from the school's list, sent as an emergency without consent: the reason is required
    r = await b.post(f"/console/students/{sid}/referral", {"institution": str(ids["inst"])})
    assert r.status_code == 303
    async with app.sessions() as session:
        second = (await session.execute(select(Referral).order_by(Referral.id.desc()))).scalars().first()
    assert second.institution_id == ids["inst"] and second.consent_id is None
    await b.get(f"/console/students/{sid}")
    r = await b.post(f"/console/students/{sid}/send", {"referral": str(second.id)})
    assert r.status_code == 400 and "还没有监护人同意" in r.text
    r = await b.post(f"/console/students/{sid}/send", {"referral": str(second.id),
                                                       "emergency_reason": "已拨打120，监护人联系不上"})
    assert r.status_code == 303
    r = await b.post(f"/console/students/{sid}/contact", {"how": "home_visit", "summary": ""})
    assert r.status_code == 400 and "请写内容" in r.text
    r = await b.post(f"/console/students/{sid}/contact", {"how": "home_visit", "summary": "家访，了解作息",
                                                          "guardian": "王芳", "next_step": "下周电话",
                                                          "next_on": (today - timedelta(days=2)).isoformat()})
    assert r.status_code == 400 and "已经过去" in r.text and await _count(app, Contact) == 0
    r = await b.post(f"/console/students/{sid}/contact", {"how": "home_visit", "summary": "家访，了解作息",
                                                          "guardian": "王芳", "next_step": "下周电话",
                                                          "next_on": due, "case": str(ids["case"])})
    assert r.status_code == 303
    page = await b.get(f"/console/students/{sid}")
    text = page.text
    for expected in ("评估（案例 #", "监护人同意", "家访，了解作息", "建议门诊随访", "已拨打120", "开案 #",
                     "市精神卫生中心"):
        assert expected in text, expected
    # another student's referral through this student's form: unknown, nothing done
    r = await b.post(f"/console/students/{ids['other']}/feedback", {"referral": str(second.id), "feedback": "x"})
    assert r.status_code == 404


async def test_link_and_unlink_from_the_case_never_a_mailbox_note(app: App, browser) -> None:
    ids = await _world(app)
    b = await _signed_in(app, browser)
    assert f"/console/cases/{ids['loose']}/student" in (await b.get(f"/console/cases/{ids['loose']}")).text
    linked = (await b.get(f"/console/cases/{ids['case']}")).text
    assert f"/console/students/{ids['student']}" in linked, "the case page leads to its student's file"
    assert "/student\"" not in (await b.get(f"/console/cases/{ids['anon']}")).text, "no link for a mailbox note"
    page = await b.get(f"/console/cases/{ids['loose']}/student", params={"name": "张"})
    assert page.status_code == 200 and "张伟" in page.text
    r = await b.post(f"/console/cases/{ids['loose']}/student/link", {"student": str(ids["other"])})
    assert r.status_code == 303 and r.headers["location"].startswith(f"/console/students/{ids['other']}")
    async with app.sessions() as session:
        assert (await session.get(Case, ids["loose"])).student_id == ids["other"]
    page = await b.get(f"/console/cases/{ids['loose']}/student")
    assert "张伟" in page.text
    assert (await b.post(f"/console/cases/{ids['loose']}/student/unlink")).status_code == 303
    async with app.sessions() as session:
        assert (await session.get(Case, ids["loose"])).student_id is None
    page = await b.get(f"/console/cases/{ids['anon']}/student", params={"name": "李"})
    assert "只有学生本人" in page.text and "/student/link" not in page.text
    r = await b.post(f"/console/cases/{ids['anon']}/student/link", {"student": str(ids["student"])})
    assert r.status_code == 400 and "匿名来信不能" in r.text
    await b.get(f"/console/students/{ids['student']}")
    r = await b.post(f"/console/students/{ids['student']}/link", {"case": str(ids["anon"])})
    assert r.status_code == 400 and "匿名来信不能" in r.text
    async with app.sessions() as session:
        assert (await session.get(Case, ids["anon"])).student_id is None
    r = await b.post(f"/console/students/{ids['student']}/link", {"case": str(ids["loose"])})
    assert r.status_code == 303
    r = await b.post(f"/console/students/{ids['student']}/unlink", {"case": str(ids["loose"])})
    assert r.status_code == 303
    async with app.sessions() as session:
        assert (await session.get(Case, ids["loose"])).student_id is None


@pytest.mark.parametrize("who", ["陈老师", "head_teacher"])
async def test_queue_shows_overdue_measures_and_reviews(app: App, browser, who: str) -> None:
    ids = await _world(app)
    teacher = await add_person(app, "赵老师", "head_teacher")
    chen = await person(app, "陈老师")
    today = _today()
    async with app.sessions() as session, session.begin():
        await plans.write_plan(session=session, school_id=app.school_id, student_id=ids["student"], goals=["睡眠"],
                               measures=[MeasureIn("每周谈话", str(teacher.id), today)],
                               review_on=today, viewer=Viewer(chen), zone=SH)
        plan = (await session.execute(select(Plan))).scalar_one()
        plan.review_on = today - timedelta(days=2)
        for m in (await session.execute(select(Measure))).scalars():
            m.due_on = today - timedelta(days=1)
    if who == "head_teacher":
        await give_password(app, teacher)
        b = browser()
        await b.sign_in(teacher)
    else:
        b = await _signed_in(app, browser)
    queue = await b.get("/console/")
    assert "/console/students/overdue" in queue.text
    part = await b.get("/console/students/overdue")
    assert part.status_code == 200 and "措施 #" in part.text and "李明" in part.text
    if who == "head_teacher":
        assert "计划复查逾期" not in part.text and "/console/tasks" in part.text
    else:
        assert "计划复查逾期" in part.text and f"/console/students/{ids['student']}" in part.text


async def test_bad_input_is_a_clear_4xx(app: App, browser) -> None:
    ids = await _world(app)
    sid = ids["student"]
    b = await _signed_in(app, browser)
    await b.get(f"/console/students/{sid}")
    assert (await b.post(f"/console/students/{sid}/erase")).status_code == 404, "only the page's own actions"
    assert (await b.get("/console/students/abc")).status_code == 404
    r = await b.post(f"/console/students/{sid}/attention", {"level": "紫色", "reason": "x"})
    assert r.status_code == 400 and "关注等级请写" in r.text
    r = await b.post(f"/console/students/{sid}/attention", {"level": "key", "reason": "长" * 2001})
    assert r.status_code == 413
    r = await b.post(f"/console/students/{sid}/plan", {"goals": "睡眠", "review_on": "2026-13-40"})
    assert r.status_code == 400 and "复查日期" in r.text
    r = await b.post(f"/console/students/{sid}/plan", {"goals": "", "review_on": "2099-01-01"})
    assert r.status_code == 400 and "至少要有一个目标" in r.text
    r = await b.post(f"/console/students/{sid}/send", {"referral": "x1"})
    assert r.status_code == 400
    r = await b.post(f"/console/students/{sid}/referral", {"institution": ""})
    assert r.status_code == 400 and "机构" in r.text
    r = await b.post(f"/console/students/{sid}/link", {"case": "#99999"})
    assert r.status_code == 404
    async with app.sessions() as session:
        student = await session.get(Student, sid)
        assert student.attention in (None, "", "general")
    assert await _count(app, Plan) == 0 and await _count(app, Referral) == 0
