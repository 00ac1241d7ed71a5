"""Bad input gets a clear page or 4xx, never a 500, and nothing half-written; shown text is escaped."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from bot.db.models import AuditEntry, CaseEvent
from tests.console.helpers import give_password, person

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


async def _counsellor(app: App, browser):
    chen = await person(app, "陈老师")
    await give_password(app, chen)
    b = browser()
    await b.sign_in(chen)
    return b


async def _events(app: App) -> int:
    async with app.sessions() as session:
        return (await session.execute(select(func.count(CaseEvent.id)))).scalar_one()


async def test_script_in_a_note_and_in_a_student_note_is_text(app: App, chat, browser) -> None:
    await chat.say("student-1", "我今晚就从楼顶跳下去" + SCRIPT)
    b = await _counsellor(app, browser)
    await b.get("/console/cases/1")
    assert (await b.post("/console/cases/1/note", {"text": SCRIPT})).status_code == 303
    page = await b.get("/console/cases/1")
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    assert '<mark class="ev ev-red"' in page.text
    rows = await b.get("/console/queue/rows")
    assert "<script>alert" not in rows.text


async def test_ids_paths_and_fields_that_are_wrong(app: App, chat, browser) -> None:
    await chat.say("student-1", "我今晚就从楼顶跳下去")
    b = await _counsellor(app, browser)
    before = await _events(app)
    for path in ("/console/cases/abc", "/console/cases/-1", "/console/cases/0", "/console/cases/99999999999999999999",
                 "/console/cases/１", "/console/nowhere", "/console/cases/1/frobnicate"):
        r = await b.get(path)
        assert r.status_code == 404, path
    await b.get("/console/cases/1")
    r = await b.post("/console/cases/1/frobnicate", {})
    assert r.status_code == 404
    r = await b.post("/console/cases/1/note", {"text": "字" * 2001})
    assert r.status_code == 413 and "最多 2000" in r.text
    r = await b.post("/console/cases/1/note", {"text": "   "})
    assert r.status_code == 400
    r = await b.post("/console/cases/1/note", {"text": "x" * 40000})
    assert r.status_code == 413
    r = await b.client.post("/console/cases/1/note", content=b'{"text": "x"}',
                            headers={"content-type": "application/json"})
    assert r.status_code == 415
    r = await b.client.post("/console/cases/1/note", content=b"text=%FF%FE&csrf=" + b.token.encode(),
                            headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 303, "bytes that are not UTF-8 become U+FFFD, as on every channel"
    before = await _events(app)
    await b.get("/console/cases/1")
    for data in ({"outcome": "maybe"}, {"outcome": ""}):
        assert (await b.post("/console/cases/1/close", data)).status_code == 400
    assert (await b.post("/console/cases/1/follow_up", {"date": "2020-01-01"})).status_code == 400
    assert (await b.post("/console/cases/1/follow_up", {"date": "明天"})).status_code == 400
    assert (await b.post("/console/cases/1/level", {"level": "purple", "reason": "x"})).status_code == 400
    assert (await b.post("/console/cases/1/status", {"status": "closed"})).status_code == 400
    assert (await b.post("/console/cases/1/duplicate", {"other": "1"})).status_code == 400
    assert (await b.post("/console/cases/1/duplicate", {"other": "424242"})).status_code == 400
    assert (await b.post("/console/cases/1/assign", {"assignee": "x"})).status_code == 400
    assert (await b.post("/console/cases/1/share", {"head_teacher": "3"})).status_code == 400
    assert await _events(app) == before, "nothing written by a refused request"
    for query in ("level=purple", "status=x", "since=yesterday", "holder=abc", "category=zz", "q=" + "x" * 101):
        r = await b.get("/console/?" + query)
        assert r.status_code in (400, 413), query
    async with app.sessions() as session:
        actions = list((await session.execute(select(AuditEntry.action))).scalars())
    assert actions.count("case.note") == 1 and "case.close" not in actions and "case.level" not in actions


async def test_closed_case_takes_no_more_actions(app: App, chat, browser) -> None:
    await chat.say("student-1", "我今晚就从楼顶跳下去")
    b = await _counsellor(app, browser)
    await b.get("/console/cases/1")
    assert (await b.post("/console/cases/1/close", {"outcome": "resolved"})).status_code == 303
    page = await b.get("/console/cases/1")
    assert "/console/cases/1/note" not in page.text
    r = await b.post("/console/cases/1/note", {"text": "再写一条"})
    assert r.status_code == 400 and "已经结案" in r.text
    history = await b.get("/console/history", params={"q": "楼顶"})
    assert '/console/cases/1"' in history.text
    assert '/console/cases/1"' not in (await b.get("/console/history", params={"outcome": "referred"})).text
    csv = await b.get("/console/history.csv")
    assert csv.status_code == 200 and csv.text.startswith("\ufeff案例") and "已解决" in csv.text
    async with app.sessions() as session:
        actions = list((await session.execute(select(AuditEntry.action))).scalars())
    assert "history.export" in actions and "history.search" in actions


async def test_csv_cells_never_start_a_formula(app: App, chat, browser) -> None:
    from bot.services.crisis.cases import close_case, open_case
    chen = await person(app, "陈老师")
    async with app.sessions() as session, session.begin():
        case = await open_case(session=session, school_id=app.school_id, level="yellow", source="concern",
                               subject='=HYPERLINK("http://evil","x")')
        await close_case(session=session, case_id=case.id, person=chen, outcome="resolved")
    b = await _counsellor(app, browser)
    csv = await b.get("/console/history.csv")
    assert "'=HYPERLINK" in csv.text and ',=HYPERLINK' not in csv.text
