"""The school's list of institutions in the console (counsellors and leaders; added through the service, audited;
a bad phone refused with its reason) and the return-to-school assessment on a sent referral of a student's file."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.app import App
from bot.db.models import Assessment, AuditEntry, Institution, Referral
from tests.console.helpers import add_person, give_password, other_school
from tests.console.test_console_students import _signed_in, _today, _world


async def _institutions(app: App) -> list[Institution]:
    async with app.sessions() as session:
        return list((await session.execute(select(Institution).order_by(Institution.id))).scalars())


async def test_institutions_page_roles_add_audited_and_bad_phone(app: App, browser) -> None:
    await other_school(app)
    b = await _signed_in(app, browser)
    page = await b.get("/console/institutions")
    assert page.status_code == 200 and "还没有机构" in page.text and 'id="form-institution"' in page.text
    r = await b.post("/console/institutions", {"name": "市精神卫生中心", "department": "儿童青少年精神科",
                                               "phone": "0371-6666 8888"})
    assert r.status_code == 303, r.text
    page = await b.get("/console/institutions?done=1")
    assert "机构已添加" in page.text and "市精神卫生中心" in page.text and "儿童青少年精神科" in page.text
    assert "037166668888" in page.text
    rows = await _institutions(app)
    assert [(i.name, i.phone) for i in rows] == [("市精神卫生中心", "037166668888")]
    async with app.sessions() as session:
        audited = [e.action for e in (await session.execute(select(AuditEntry).where(
            AuditEntry.target == f"institution:{rows[0].id}"))).scalars()]
    assert audited == ["institution.add"]

    r = await b.post("/console/institutions", {"name": "某诊所", "phone": "打电话给我"})
    assert r.status_code == 400 and "电话「打电话给我」不是号码" in r.text and "监护人" not in r.text
    r = await b.post("/console/institutions", {"name": "某诊所", "phone": "123"})
    assert r.status_code == 400 and "7到15位" in r.text
    r = await b.post("/console/institutions", {"name": "  ", "phone": "13800000000"})
    assert r.status_code == 400 and "请写机构名称" in r.text
    r = await b.post("/console/institutions", {"name": "长" * 201})
    assert r.status_code == 413
    assert len(await _institutions(app)) == 1, "nothing half-written"

    # a leader adds too; a head teacher and an admin are refused (audited as the console's refusals)
    people = {role: await add_person(app, f"测试{role}", role) for role in ("leader", "head_teacher", "admin")}
    for p in people.values():
        await give_password(app, p)
    leader = browser()
    assert (await leader.sign_in(people["leader"])).status_code == 303
    assert (await leader.get("/console/institutions")).status_code == 200
    added = await leader.post("/console/institutions", {"name": "区人民医院", "department": "心理科"})
    assert added.status_code == 303
    for role in ("head_teacher", "admin"):
        other = browser()
        assert (await other.sign_in(people[role])).status_code == 303
        assert (await other.get("/console/institutions")).status_code == 403
        assert (await other.post("/console/institutions", {"name": "不该有的医院"})).status_code == 403
    assert [i.name for i in await _institutions(app)] == ["市精神卫生中心", "区人民医院"]
    async with app.sessions() as session:
        refused = {e.actor for e in (await session.execute(select(AuditEntry).where(
            AuditEntry.action == "console.refused_forbidden"))).scalars()}
    assert f"person:{people['admin'].id}" in refused and f"person:{people['head_teacher'].id}" in refused


async def test_return_to_school_assessment_on_a_sent_referral(app: App, browser) -> None:
    ids = await _world(app)
    sid, today = ids["student"], _today()
    due = (today + timedelta(days=7)).isoformat()
    b = await _signed_in(app, browser)
    await b.get(f"/console/students/{sid}")
    assert (await b.post(f"/console/students/{sid}/consent", {"case": str(ids["case"]), "guardian": "王芳",
                                                              "relation": "母亲", "how": "phone"})).status_code == 303
    assert (await b.post(f"/console/students/{sid}/referral", {"case": str(ids["case"]),
                                                               "institution": str(ids["inst"])})).status_code == 303
    async with app.sessions() as session:
        referral = (await session.execute(select(Referral))).scalar_one()
    form = {"referral": str(referral.id), "participants": "刘校长、陈老师", "level": "yellow",
            "recommendation": "counselling", "reasons": "复诊后情绪平稳，可以返校"}
    r = await b.post(f"/console/students/{sid}/return", form)
    assert r.status_code == 400 and "只有已送出" in r.text, "not before it is sent"
    assert (await b.post(f"/console/students/{sid}/send", {"referral": str(referral.id),
                                                           "feedback_due_on": due})).status_code == 303
    page = await b.get(f"/console/students/{sid}")
    assert f'id="form-return-{referral.id}"' in page.text and "待返校评估" in page.text
    assert f"反馈截止日期 {due}" in page.text, "feedback-due shown on the referral"
    r = await b.post(f"/console/students/{sid}/return", {**form, "participants": ""})
    assert r.status_code == 400 and "参加评估的人" in r.text
    r = await b.post(f"/console/students/{sid}/return", {**form, "level": "紫色"})
    assert r.status_code == 400 and "风险等级请写" in r.text
    r = await b.post(f"/console/students/{ids['other']}/return", form)
    assert r.status_code == 404, "another student's referral through this form"
    async with app.sessions() as session:
        assert int((await session.execute(select(func.count(Assessment.id)))).scalar_one()) == 0
        assert (await session.get(Referral, referral.id)).state == "sent"
    r = await b.post(f"/console/students/{sid}/return", form)
    assert r.status_code == 303
    page = await b.get(r.headers["location"])
    assert "返校评估已记录" in page.text and "已返校评估" in page.text
    assert f'id="form-return-{referral.id}"' not in page.text
    async with app.sessions() as session:
        back = await session.get(Referral, referral.id)
        row = await session.get(Assessment, back.return_assessment_id)
        audited = [e.action for e in (await session.execute(select(AuditEntry).where(
            AuditEntry.target == f"case:{ids['case']}"))).scalars()]
    assert back.state == "returned" and row.kind == "return" and row.participants == ["刘校长", "陈老师"]
    assert row.recommendation == "counselling" and "assessment.create" in audited
    assert (await b.post(f"/console/students/{sid}/return", form)).status_code == 400, "only once"

    # a head teacher may not record it
    head = await add_person(app, "测试班主任", "head_teacher")
    await give_password(app, head)
    hb = browser()
    assert (await hb.sign_in(head)).status_code == 303
    assert (await hb.post(f"/console/students/{sid}/return", form)).status_code == 403
