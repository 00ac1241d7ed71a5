"""Issue 14, point 10: yellow is not forgotten (a daily digest, no page; unanswered notes flagged)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.db.models import Case, OutboxMessage, Page
from bot.services.crisis import digest

MONDAY_0805 = datetime(2026, 11, 30, 0, 5, tzinfo=UTC)  # 08:05 in Shanghai


async def _yellow_note(chat, user: str) -> int:
    await chat.say(user, "匿名心理信箱")
    await chat.say(user, "最近压力好大，晚上睡不着")
    await chat.say(user, "回复时通知我")
    async with chat.app.sessions() as session:
        return (await session.execute(select(Case.id).order_by(Case.id.desc()))).scalars().first()


async def test_yellow_cases_go_into_one_morning_digest_without_a_page(chat, app) -> None:
    case_id = await _yellow_note(chat, "student-50")
    zone = app.settings.zone
    assert await digest.send_due(sessions=app.sessions, school_id=app.school_id, zone=zone,
                                 now=MONDAY_0805 - timedelta(hours=2)) == 0  # before working hours
    queued = await digest.send_due(sessions=app.sessions, school_id=app.school_id, zone=zone, now=MONDAY_0805)
    assert queued == 2  # both counsellors of the demo school
    assert await digest.send_due(sessions=app.sessions, school_id=app.school_id, zone=zone,
                                 now=MONDAY_0805 + timedelta(minutes=1)) == 0  # once a day
    notices = [m for m in await chat.inbox("demo-counsellor") if m["kind"] == "notice"]
    assert any("黄色关注" in m["text"] and f"#{case_id}" in m["text"] for m in notices)
    async with app.sessions() as session:
        assert (await session.execute(select(Page))).scalars().all() == []
        assert (await session.execute(select(OutboxMessage).where(OutboxMessage.kind == "page"))).first() is None


async def test_unanswered_yellow_note_is_flagged_in_pending(chat, app) -> None:
    case_id = await _yellow_note(chat, "student-51")
    async with app.sessions() as session, session.begin():
        case = await session.get(Case, case_id)
        case.created_at = case.created_at - timedelta(days=5)
    pending = await chat.say("demo-counsellor", "待处理")
    assert "超过2个工作日未回复" in pending[0]["text"]
    await chat.say("demo-counsellor", f"回复 {case_id} 你好，我们聊聊")
    pending = await chat.say("demo-counsellor", "待处理")
    assert "未回复" not in pending[0]["text"]
