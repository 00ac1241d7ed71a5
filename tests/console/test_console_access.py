"""Who sees what: every role against every kind of case (IDOR), another school's case, a case that does not exist."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.db.models import Group, Person
from bot.services.crisis import casework
from bot.services.crisis.cases import open_case
from bot.services.crisis.reports import file_concern
from tests.console.helpers import add_person, give_password, other_school, person

RED_NOTE = "我今晚就从楼顶跳下去"
ROLES = {
    "counsellor": "counsellor", "leader": "leader", "head_teacher": "head_teacher", "admin": "admin",
    "admin_counsellor": "admin,counsellor", "other_school_counsellor": "counsellor",
}
# What each role gets for GET /console/cases/<id> of each object.
EXPECTED = {
    "counsellor": {"concern": 200, "handed": 200, "mailbox": 200, "other_school": 404, "missing": 404},
    "leader": {"concern": 200, "handed": 200, "mailbox": 200, "other_school": 404, "missing": 404},
    "head_teacher": {"concern": 403, "handed": 200, "mailbox": 403, "other_school": 404, "missing": 404},
    "admin": {"concern": 403, "handed": 403, "mailbox": 403, "other_school": 404, "missing": 404},
    "admin_counsellor": {"concern": 200, "handed": 200, "mailbox": 200, "other_school": 404, "missing": 404},
    "other_school_counsellor": {"concern": 404, "handed": 404, "mailbox": 404, "other_school": 200, "missing": 404},
}
ACTS = {"counsellor", "leader", "admin_counsellor", "other_school_counsellor"}


async def _world(app: App, chat) -> tuple[dict[str, int], dict[str, Person]]:
    await chat.say("student-1", RED_NOTE)  # case 1: an anonymous note
    school2 = await other_school(app)
    people = {role: await add_person(app, f"测试{role}", roles, school_id=school2 if role.startswith("other") else None)
              for role, roles in ROLES.items()}
    member = await person(app, "李小雨")
    chen = await person(app, "陈老师")
    async with app.sessions() as session, session.begin():
        concern = await file_concern(session=session, reporter=member, subject="小李", signs=["情绪低落"],
                                     text="他最近总是一个人发呆", verdict=app.triager.triage("他最近总是一个人发呆"))
        handed = await file_concern(session=session, reporter=member, subject="小王", signs=["被欺凌"],
                                    text="有人抢他的饭卡", verdict=app.triager.triage("有人抢他的饭卡"))
        await session.flush()
        await casework.share(session=session, case_id=handed.case.id, person=chen,
                             head_teacher_id=people["head_teacher"].id, notice="{case_id}{name}")
        elsewhere = await open_case(session=session, school_id=school2, level="red", source="concern", subject="某某")
        ids = {"mailbox": 1, "concern": concern.case.id, "handed": handed.case.id, "other_school": elsewhere.id,
               "missing": 99999}
    for p in people.values():
        await give_password(app, p)
    return ids, people


@pytest.mark.parametrize("role", list(ROLES))
async def test_every_role_against_every_case(app: App, chat, browser, role: str) -> None:
    ids, people = await _world(app, chat)
    b = browser()
    if role.startswith("other"):
        app.school_id, saved = people[role].school_id, app.school_id  # that school's console signs them in
    r = await b.sign_in(people[role])
    assert r.status_code == 303, r.text
    for what, expected in EXPECTED[role].items():
        page = await b.get(f"/console/cases/{ids[what]}")
        assert page.status_code == expected, (role, what, page.status_code)
        assert page.status_code != 500
        if expected == 200 and what == "mailbox":
            assert "匿名对话" in page.text
        if expected == 200 and role == "head_teacher":
            assert "匿名对话" not in page.text and "/note" not in page.text, "a head teacher only reads"
        if expected != 200:
            assert "有人抢他的饭卡" not in page.text and "楼顶" not in page.text and "发呆" not in page.text
    for what in ("concern", "handed", "mailbox", "other_school", "missing"):
        await b.get("/console/security")
        r = await b.post(f"/console/cases/{ids[what]}/note", {"text": "记录一下"})
        allowed = role in ACTS and EXPECTED[role][what] == 200
        assert r.status_code == (303 if allowed else EXPECTED[role][what] if EXPECTED[role][what] != 200 else 403), \
            (role, what, r.status_code)
    if role.startswith("other"):
        app.school_id = saved


async def test_queue_and_history_are_scoped(app: App, chat, browser) -> None:
    ids, people = await _world(app, chat)
    b = browser()
    await b.sign_in(people["head_teacher"])
    rows = (await b.get("/console/queue/rows")).text
    assert f'/console/cases/{ids["handed"]}"' in rows
    assert f'/console/cases/{ids["concern"]}"' not in rows and '/console/cases/1"' not in rows
    assert f'/console/cases/{ids["other_school"]}"' not in rows
    b = browser()
    await b.sign_in(people["counsellor"])
    rows = (await b.get("/console/queue/rows")).text
    assert f'/console/cases/{ids["concern"]}"' in rows and '/console/cases/1"' in rows
    assert f'/console/cases/{ids["other_school"]}"' not in rows
    search = await b.get("/console/", params={"q": str(ids["other_school"])})
    assert f'/console/cases/{ids["other_school"]}"' not in search.text
    b = browser()
    r = await b.sign_in(people["admin"])
    assert r.headers["location"] == "/console/audit"
    assert (await b.get("/console/queue/rows")).status_code == 403
    assert (await b.get("/console/history")).status_code == 403
    assert (await b.get("/console/audit")).status_code == 200
    assert (await b.get(f"/console/cases/{ids['concern']}")).status_code == 403
    from sqlalchemy import select

    from bot.db.models import AuditEntry
    async with app.sessions() as session:
        refused = [(e.actor, e.target) for e in (await session.execute(select(AuditEntry).where(
            AuditEntry.action == "console.refused_forbidden"))).scalars()]
    assert (f"person:{people['admin'].id}", f"/cases/{ids['concern']}") in refused, "refusals are audited too"
    b = browser()
    await b.sign_in(people["counsellor"])
    assert (await b.get("/console/audit")).status_code == 403


async def test_head_teacher_cannot_be_shared_an_anonymous_note(app: App, chat) -> None:
    ids, people = await _world(app, chat)
    chen = await person(app, "陈老师")
    from bot.services.crisis.cases import CaseError
    async with app.sessions() as session, session.begin():
        with pytest.raises(CaseError) as err:
            await casework.share(session=session, case_id=1, person=chen, head_teacher_id=people["head_teacher"].id,
                                 notice="")
    assert err.value.reason == "anonymous"
    assert Group  # the demo's groups are used through the member


async def test_admin_manages_accounts_of_their_school_only(app: App, chat, browser) -> None:
    ids, people = await _world(app, chat)
    b = browser()
    await b.sign_in(people["admin"])
    page = await b.get("/console/people")
    assert page.status_code == 200 and people["counsellor"].name in page.text
    assert people["other_school_counsellor"].name not in page.text
    r = await b.post(f"/console/people/{people['counsellor'].id}/link")
    assert r.status_code == 200 and "/console/password/" in r.text
    link = r.text.split('id="password-link">')[1].split("<")[0]
    path = link[link.index("/console/"):]
    fresh = browser()
    assert (await fresh.get(path)).status_code == 200
    await b.get("/console/people")
    assert (await b.post(f"/console/people/{people['other_school_counsellor'].id}/link")).status_code == 404
    member = await person(app, "李小雨")
    assert (await b.post(f"/console/people/{member.id}/link")).status_code == 404
    c = browser()
    await c.sign_in(people["counsellor"])
    assert (await c.get("/console/people")).status_code == 403
    await b.get("/console/people")
    assert (await b.post(f"/console/people/{people['counsellor'].id}/revoke")).status_code == 303
    assert (await c.get("/console/")).status_code == 303, "signed out everywhere"
