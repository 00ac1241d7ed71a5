"""Issue 14, points 4 and 13: endings are told, and closing a case leaves nothing behind."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.db.base import utcnow
from bot.db.models import Case, OutboxMessage, Person, SealedAddress, Thread


def _code(text: str) -> str:
    m = re.search(r"查看 ([A-Z0-9]{8})", text)
    assert m, text
    return m.group(1)


async def _note(chat, user: str, text: str = "最近和同学处不好") -> tuple[str, int]:
    await chat.say(user, "匿名心理信箱")
    code = _code((await chat.say(user, text))[0]["text"])
    await chat.say(user, "回复时通知我")
    async with chat.app.sessions() as session:
        case_id = (await session.execute(select(Thread.case_id).where(Thread.code == code))).scalar_one()
    return code, case_id


async def test_closing_tells_the_student_and_the_code_works_seven_days(chat, app) -> None:
    code, case_id = await _note(chat, "student-30")
    await chat.say("demo-counsellor", f"收到 {case_id}")
    closed = await chat.say("demo-counsellor", f"结案 {case_id} 已解决 聊过了")
    assert "已结案（已解决）" in closed[0]["text"] and code in closed[0]["text"]
    pushed = await chat.inbox("student-30")
    closing = pushed[-1]["text"]
    assert "12356" in closing and "7天" in closing and f"查看 {code}" in closing and "匿名心理信箱" in closing
    view = await chat.say("student-30", f"查看 {code}")
    assert "【心桥】" in view[0]["text"]
    again = await chat.say("student-30", "老师，我又和她们吵架了")
    assert "已发送" in again[0]["text"]
    async with app.sessions() as session:
        case = await session.get(Case, case_id)
        assert case.status == "in_progress" and case.closed_at is None  # written again: open again
        sealed = (await session.execute(select(SealedAddress))).scalar_one()
        assert sealed.expires_at > utcnow() + timedelta(days=6)  # replies reach them again
        case.status, case.closed_at = "closed", utcnow() - timedelta(days=8)
        thread = (await session.execute(select(Thread).where(Thread.code == code))).scalar_one()
        thread.closed_at = case.closed_at
        await session.commit()
    late = await chat.say("student-30", f"查看 {code}")
    assert "没有找到" in late[0]["text"]


async def test_reporter_is_thanked_without_details(chat, app) -> None:
    for text in ("报告同学情况", "同桌小李", "情绪低落", "完成", "最近总是一个人吃饭", "确认提交"):
        await chat.say("demo-member", text)
    async with app.sessions() as session:
        case_id = (await session.execute(select(Case.id))).scalar_one()
    await chat.say("demo-counsellor", f"收到 {case_id}")
    await chat.say("demo-counsellor", f"结案 {case_id} 已解决 已与家长沟通，孩子状态好转")
    async with app.sessions() as session:
        member = (await session.execute(select(Person).where(Person.name.like("李小雨%")))).scalar_one()
        rows = (await session.execute(select(OutboxMessage).where(OutboxMessage.kind == "notice"))).scalars().all()
        thanks = [r for r in rows if "已由心理老师处理，谢谢你" in r.text]
        assert len(thanks) == 1 and thanks[0].person_id == member.id
        assert "家长" not in thanks[0].text and "小李" not in thanks[0].text  # no details


async def test_closing_cancels_pending_follow_up_reminders(chat, app) -> None:
    _code_, case_id = await _note(chat, "student-31")
    await chat.say("demo-counsellor", f"收到 {case_id}")
    await chat.say("demo-counsellor", f"跟进 {case_id} 2099-01-05")
    closed = await chat.say("demo-counsellor", f"结案 {case_id} 已解决")
    assert "跟进提醒" in closed[0]["text"]
    async with app.sessions() as session:
        rows = (await session.execute(select(OutboxMessage).where(
            OutboxMessage.ref == f"followup:{case_id}"))).scalars().all()
        assert rows and all(r.state == "cancelled" for r in rows)


async def test_closing_an_unacknowledged_case_says_so_and_tells_the_paged(chat, app) -> None:
    await chat.say("student-32", "我真的不想活了")
    pages = await chat.inbox("demo-counsellor")
    case_id = pages[0]["case_id"]
    closed = await chat.say("demo-leader", f"结案 {case_id} 误报")
    assert "还没有人确认接手" in closed[0]["text"]
    told = [m for m in await chat.inbox("demo-counsellor") if m["kind"] == "notice"]
    assert any(f"#{case_id}" in m["text"] and "刘校长" in m["text"] and "结案" in m["text"] for m in told)


async def test_close_without_outcome_offers_the_outcomes_in_chinese(chat, app) -> None:
    _code_, case_id = await _note(chat, "student-33")
    replies = await chat.say("demo-counsellor", f"结案 {case_id}")
    assert f"结案 {case_id} 已解决" in replies[0]["options"] and "误报" in replies[0]["text"]
    bad = await chat.say("demo-counsellor", f"结案 {case_id} maybe")
    assert "已解决" in bad[0]["text"] and "已转介" in bad[0]["text"]


async def test_expired_sealed_addresses_are_deleted(chat, app) -> None:
    from bot.services.messaging.housekeeping import forget

    code, case_id = await _note(chat, "student-34")
    await chat.say("demo-counsellor", f"结案 {case_id} 已解决")
    async with app.sessions() as session:
        sealed = (await session.execute(select(SealedAddress))).scalar_one()
        assert sealed.expires_at <= utcnow() + timedelta(days=7, minutes=1)  # kept 7 days after closing
    assert (await forget(sessions=app.sessions))["sealed_addresses"] == 0
    assert (await forget(sessions=app.sessions, now=utcnow() + timedelta(days=8)))["sealed_addresses"] == 1
    assert "没有找到" not in (await chat.say("student-34", f"查看 {code}"))[0]["text"]  # the code still reads
