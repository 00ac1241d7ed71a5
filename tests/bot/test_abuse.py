"""Pranks and targeting are flagged to the counsellors, never blocked; the figures are counted per school."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.app import App
from bot.config import Settings
from bot.db.models import CaseEvent
from bot.services.crisis import abuse
from tests.conftest import Chat, run_cli


@pytest.fixture
async def roster_app(settings: Settings, triager, tmp_path: Path) -> AsyncIterator[tuple[Chat, App]]:
    """The demo school with a roster of students, saved by Excel as GBK."""
    roster = tmp_path / "students.csv"
    roster.write_text("姓名,班级\n王小明,初二(3)班\n李华,初二(3)班\n", encoding="gbk")
    bot = App(Settings(data_dir=settings.data_dir, database_url=settings.database_url, secret_key=settings.secret_key,
                       student_roster=roster), triager=triager)
    await bot.prepare(demo=True)
    bot.checkins_on_tick = False
    transport = httpx.ASGITransport(app=bot.asgi(clock=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield Chat(client, bot), bot
    await bot.close()


async def _flags(bot: App, kind: str) -> list[CaseEvent]:
    async with bot.sessions() as session:
        return list((await session.execute(select(CaseEvent).where(CaseEvent.kind == kind)
                                           .order_by(CaseEvent.id))).scalars())


async def test_notes_naming_one_student_are_flagged_not_blocked(roster_app, db_url: str, settings: Settings) -> None:
    chat, bot = roster_app
    for i in range(abuse.NAMED_NOTES):
        await chat.say(f"prank-{i}", "匿名心理信箱")
        await chat.say(f"prank-{i}", f"王小明是个怪人，大家都别理他（{i}）")
        if i < abuse.NAMED_NOTES - 1:
            assert not await _flags(bot, abuse.NAMED)  # two notes are not a pattern yet
    (flag,) = await _flags(bot, abuse.NAMED)
    assert flag.detail["name"] == "王小明" and flag.detail["notes"] == abuse.NAMED_NOTES
    notices = [m for m in await chat.inbox("demo-counsellor") if m["kind"] == "notice"]
    assert len(notices) == 1 and "王小明" in notices[0]["text"] and "恶作剧" in notices[0]["text"]
    pending = (await chat.say("demo-counsellor", "待处理"))[0]["text"]
    assert "⚠" in pending and "王小明" in pending

    # A real crisis naming the same student still files and pages at once; the counsellors are told once.
    await chat.say("prank-x", "王小明刚才说他今晚就从楼顶跳下去")
    flags = await _flags(bot, abuse.NAMED)
    assert len(flags) == 2 and flags[-1].detail["notified"] is False
    inbox = await chat.inbox("demo-counsellor")
    pages = [m for m in inbox if m["kind"] == "page"]
    assert len(pages) == 1 and pages[0]["case_id"] == flags[-1].case_id
    assert len([m for m in inbox if m["kind"] == "notice"]) == 1

    env = dict(os.environ, XINQIAO_DATA_DIR=str(settings.data_dir), XINQIAO_DATABASE_URL=db_url,
               XINQIAO_SECRET_KEY=settings.secret_key)
    shown = run_cli(["cases", "show", str(flags[-1].case_id)], env)
    assert abuse.NAMED in shown.stdout
    figures = json.loads(run_cli(["report", "abuse", "--json"], env).stdout)
    assert figures == [{"school": settings.school_name, "named_students": 1, "named_notes": 2,
                        "false_reporters": 0, "false_reports": 0}]


async def _report(chat: Chat, subject: str, text: str = "最近上课总是发呆") -> list[dict]:
    for step in ("报告同学情况", subject, "1", "完成", text):
        await chat.say("demo-member", step)
    return await chat.say("demo-member", "确认提交")


async def test_member_with_two_false_reports_is_flagged_not_blocked(chat, app) -> None:
    for n, subject in enumerate(("后排小张", "前排小王"), start=1):
        await _report(chat, subject)
        assert not [m for m in await chat.inbox("demo-counsellor") if m["kind"] == "notice"]
        async with app.sessions() as session:
            case_id = max(e.case_id for e in (await session.execute(select(CaseEvent))).scalars())
        closed = await chat.say("demo-counsellor", f"结案 {case_id} 误报 同学说是玩笑")
        assert "误报" in closed[0]["text"]
        flagged = await _flags(app, abuse.FALSE_REPORTER)
        assert len(flagged) == (0 if n == 1 else 1)
    notices = [m for m in await chat.inbox("demo-counsellor") if m["kind"] == "notice"]
    assert len(notices) == 1 and "误报" in notices[0]["text"]

    # The member's next report, a real crisis, still pages; its case carries the flag for the counsellor.
    await chat.say("demo-member", "菜单")
    await chat.say("demo-member", "同桌说他今晚就要从楼顶跳下去")
    flags = await _flags(app, abuse.FALSE_REPORTER)
    assert len(flags) == 2 and flags[-1].detail["false_reports"] == 2
    inbox = await chat.inbox("demo-counsellor")
    assert [m for m in inbox if m["kind"] == "page" and m["case_id"] == flags[-1].case_id]
    pending = (await chat.say("demo-counsellor", "待处理"))[0]["text"]
    assert "⚠ 报告人" in pending
    async with app.sessions() as session:
        (figures,) = await abuse.counts(session=session, since=flags[0].at.replace(year=2000))
    assert (figures.false_reporters, figures.false_reports) == (1, 2)
