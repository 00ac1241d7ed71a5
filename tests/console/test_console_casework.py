"""Case work in the console has the same effect as the chat commands: one implementation of each action."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.app import App
from bot.db.models import AuditEntry, Case, CaseEvent, Page, Person
from tests.bot.test_escalation import fire, paged
from tests.console.helpers import give_password, person

RED_NOTE = "我今晚就从楼顶跳下去，不想活了"


async def _signed_in(app: App, browser, name: str = "陈老师"):
    who = await person(app, name)
    await give_password(app, who)
    b = browser()
    await b.sign_in(who)
    return b


async def _kinds(app: App, case_id: int) -> list[str]:
    async with app.sessions() as session:
        return list((await session.execute(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)
                                           .order_by(CaseEvent.id))).scalars())


async def test_red_note_ack_reply_close_as_in_chat(app: App, chat, browser) -> None:
    replies = await chat.say("student-1", RED_NOTE)
    assert "12356" in replies[0]["text"]
    b = await _signed_in(app, browser)
    rows = await b.get("/console/queue/rows")
    assert rows.status_code == 200 and 'data-red-ids="1"' in rows.text and "匿名信箱" in rows.text
    page = await b.get("/console/cases/1")
    assert page.status_code == 200
    assert re.search(r'<mark class="ev ev-red"[^>]*>[^<]+</mark>', page.text), "evidence highlighted"
    assert "匿名来信" in page.text and "匿名对话" in page.text
    r = await b.post("/console/cases/1/ack")
    assert r.status_code == 303
    assert "acknowledged" in await _kinds(app, 1)
    await fire(app, minutes=6)  # past the on-duty step's 5 minutes: the backup would be paged now
    assert [p[0][:3] for p in await paged(app)] == ["陈老师"], "the chain stopped: the backup gets no page"
    await b.get("/console/cases/1")
    r = await b.post("/console/cases/1/reply", {"text": "你好，我是陈老师，愿意和我多说说吗？"})
    assert r.status_code == 303
    inbox = await chat.inbox("student-1")
    assert inbox[-1]["kind"] == "reply" and "你好，我是陈老师" in inbox[-1]["text"]
    assert inbox[-1]["text"].startswith("心理老师回复了你（编号"), "exactly as 回复 from chat"
    await b.get("/console/cases/1")
    r = await b.post("/console/cases/1/close", {"outcome": "referred", "close_text": "已联系家长"})
    assert r.status_code == 400 and "还没有转介记录" in r.text, "referred needs a referral record, as in chat"
    async with app.sessions() as session:
        assert (await session.get(Case, 1)).status != "closed"
    await b.get("/console/cases/1")
    r = await b.post("/console/cases/1/close", {"outcome": "resolved", "close_text": "已联系家长"})
    assert r.status_code == 303
    async with app.sessions() as session:
        case = await session.get(Case, 1)
        assert case is not None and case.status == "closed" and case.outcome == "resolved"
        audit = [(e.action, e.target) for e in (await session.execute(select(AuditEntry)
                                                                      .order_by(AuditEntry.id))).scalars()]
    assert ("case.view", "case:1") in audit and ("case.ack", "case:1") in audit
    assert ("case.reply", "case:1") in audit and ("case.close", "case:1") in audit
    closing = (await chat.inbox("student-1"))[-1]
    assert closing["kind"] == "reply" and "12356" in closing["text"]


async def test_ack_in_console_tells_the_paged_as_chat_does(app: App, chat, browser) -> None:
    await chat.say("student-1", RED_NOTE)
    await fire(app, minutes=6)  # the backup is paged too
    b = await _signed_in(app, browser)
    await b.get("/console/cases/1")
    await b.post("/console/cases/1/ack")
    backup = await chat.inbox("demo-backup")
    assert backup[-1]["kind"] == "notice" and "已由 陈老师" in backup[-1]["text"] and "接手" in backup[-1]["text"]


async def test_level_change_needs_a_reason_and_is_recorded(app: App, chat, browser) -> None:
    await chat.say("student-2", "匿名心理信箱")
    await chat.say("student-2", "最近压力很大，晚上睡不着")
    b = await _signed_in(app, browser)
    async with app.sessions() as session:
        case_id = (await session.execute(select(Case.id).order_by(Case.id.desc()).limit(1))).scalar_one()
    await b.get(f"/console/cases/{case_id}")
    r = await b.post(f"/console/cases/{case_id}/level", {"level": "orange", "reason": ""})
    assert r.status_code == 400 and "原因" in r.text
    assert "level_changed" not in await _kinds(app, case_id)
    await b.get(f"/console/cases/{case_id}")
    r = await b.post(f"/console/cases/{case_id}/level", {"level": "orange", "reason": "学生说过要伤害自己"})
    assert r.status_code == 303
    async with app.sessions() as session:
        case = await session.get(Case, case_id)
        assert case is not None and case.level == "orange"
        pages = list((await session.execute(select(Page).where(Page.case_id == case_id))).scalars())
    assert pages, "a rise to orange starts the chain as a rise from triage does"
    page = await b.get(f"/console/cases/{case_id}")
    assert "更改级别" in page.text and "学生说过要伤害自己" in page.text
    shown = await chat.say("demo-counsellor", f"案例 {case_id}")
    assert any("更改级别" in r["text"] for r in shown), "the chat's 案例 view names the correction too"


async def test_assign_pages_the_colleague_and_share_tells_the_head_teacher(app: App, chat, browser) -> None:
    await chat.say("student-1", RED_NOTE)
    b = await _signed_in(app, browser)
    backup = await person(app, "张老师")
    await b.get("/console/cases/1")
    r = await b.post("/console/cases/1/assign", {"assignee": str(backup.id)})
    assert r.status_code == 303
    got = await chat.inbox("demo-backup")
    assert any(m["kind"] == "page" and "转给了你" in m["text"] for m in got)
    async with app.sessions() as session:
        case = await session.get(Case, 1)
        assert case is not None and case.acknowledged_by_id == backup.id
        leader = (await session.execute(select(Person).where(Person.name.startswith("刘校长")))).scalar_one()
    await b.get("/console/cases/1")
    r = await b.post("/console/cases/1/assign", {"assignee": str(leader.id + 1000)})
    assert r.status_code == 400


async def test_pages_and_notices_to_staff_carry_the_console_link(settings, triager, browser) -> None:
    import httpx

    from bot.services.school import console_links
    from tests.conftest import Chat
    settings.public_url = "https://xinqiao.school.example/"
    bot = App(settings, triager=triager)
    try:
        await bot.prepare(demo=True)
        bot.checkins_on_tick = False
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=bot.asgi(clock=False)),
                                     base_url="http://xinqiao.test") as client:
            chat = Chat(client, bot)
            await chat.say("student-1", RED_NOTE)
            page = [m for m in await chat.inbox("demo-counsellor") if m["kind"] == "page"][-1]
            assert page["text"].endswith("在工作台查看：https://xinqiao.school.example/console/cases/1")
            await chat.say("demo-counsellor", "结案 1 已解决")
            student = (await chat.inbox("student-1"))[-1]
            assert "/console/" not in student["text"], "students never get a console link"
    finally:
        await bot.close()
        console_links.configure("")


async def test_the_thread_refreshes_with_the_students_new_words(app: App, chat, browser) -> None:
    await chat.say("student-1", RED_NOTE)
    b = await _signed_in(app, browser)
    await b.get("/console/cases/1")
    await b.post("/console/cases/1/reply", {"text": "我在，你现在安全吗？"})
    await chat.say("student-1", "我已经站在天台边上了")  # within the conversation's window: joins the thread
    part = await b.get("/console/cases/1/thread")
    assert part.status_code == 200 and 'id="thread"' in part.text and "hx-trigger=\"every 5s\"" in part.text
    assert "我在，你现在安全吗？" in part.text and "天台" in part.text
    newest = [li for li in part.text.split("<li") if "天台" in li][0]
    assert '<mark class="ev' in newest, "the student's new words are triaged and marked"
    other = await _signed_in(app, browser, "刘校长")
    assert (await other.get("/console/cases/1/thread")).status_code == 200
    async with app.sessions() as session:
        views = list((await session.execute(select(AuditEntry.action).where(
            AuditEntry.action == "case.view"))).scalars())
    assert len(views) == 1, "polling the thread is not a page view"
