"""Forgetting on time: message records after their retry window, sealed addresses after their expiry, web
inbox replies when their thread closes; a queued reply to a sender's own message is sealed, held and released."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from bot.channels.webchat import inbox_keys
from bot.db.base import utcnow
from bot.db.models import InboundRecord, OutboxMessage, SealedAddress, Thread, WebChatMessage
from bot.events import Inbound
from bot.scheduler import make_scheduler
from bot.services.messaging import outbox
from bot.services.messaging.housekeeping import forget
from bot.services.messaging.inbound import RETRY_WINDOW
from tests.bot.test_reminders import WindowChannel


async def count(app, model) -> int:
    async with app.sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_records_and_expired_addresses_are_deleted(chat, app) -> None:
    await chat.say("forget-1", "匿名心理信箱")
    await chat.say("forget-1", "考试没考好，心里很乱")
    await chat.say("forget-2", "我今晚就跳楼")
    records, addresses = await count(app, InboundRecord), await count(app, SealedAddress)
    assert records == 3 and addresses == 2
    async with app.sessions() as session:
        expiries = (await session.execute(select(InboundRecord.expires_at))).scalars().all()
    assert all(e.second == 0 and utcnow() + RETRY_WINDOW < e <= utcnow() + RETRY_WINDOW + timedelta(minutes=1)
               for e in expiries)
    assert (await app.forget()) == {"inbound_records": 0, "sealed_addresses": 0, "webchat_messages": 0}
    async with app.sessions() as session, session.begin():
        first = (await session.execute(select(SealedAddress).order_by(SealedAddress.thread_id))).scalars().first()
        first.expires_at = utcnow() - timedelta(seconds=1)
    done = await app.forget()
    assert done["sealed_addresses"] == 1 and await count(app, SealedAddress) == 1
    from bot.services.messaging.housekeeping import forget
    later = await forget(sessions=app.sessions, now=utcnow() + RETRY_WINDOW + timedelta(minutes=2))
    assert later["inbound_records"] == 3 and await count(app, InboundRecord) == 0
    assert "forget" in {job.id for job in make_scheduler(app.tick, app.audit, app.forget).get_jobs()}


async def test_web_inbox_replies_go_when_the_thread_closes(chat, app) -> None:
    await chat.say("forget-3", "匿名心理信箱")
    filed = await chat.say("forget-3", "和同学闹矛盾了")
    code = re.search(r"查看 ([A-Z0-9]{8})", filed[0]["text"]).group(1)
    await chat.say("forget-3", "回复时通知我")
    await chat.say("demo-counsellor", f"回复 {code} 你好，我是陈老师")
    assert [m["kind"] for m in await chat.inbox("forget-3")] == ["reply"]
    async with app.sessions() as session:
        row = (await session.execute(select(WebChatMessage).where(WebChatMessage.thread_id.is_not(None)))).scalar_one()
        case_id = (await session.execute(select(Thread.case_id).where(Thread.code == code))).scalar_one()
    assert row.user_key == inbox_keys(app.sealer, "forget-3")[1] and row.created_at is None
    await chat.say("demo-counsellor", f"结案 {case_id} resolved 已谈话")
    await app.tick()
    # closing forgets the replies waiting in the web inbox; only the closing message reaches it (it tells the
    # student the case ended, the resources, and that the code works 7 more days: the sealed address stays)
    assert [m["kind"] for m in await chat.inbox("forget-3")] == ["reply"]
    assert "陈老师" not in (await chat.inbox("forget-3"))[0]["text"]
    assert (await forget(sessions=app.sessions))["webchat_messages"] == 1  # housekeeping forgets that too
    async with app.sessions() as session:
        left = (await session.execute(select(func.count(WebChatMessage.id)).where(
            WebChatMessage.thread_id.is_not(None)))).scalar_one()
    assert left == 0 and await count(app, SealedAddress) == 1


async def test_a_sealed_reply_held_outside_the_window_goes_out_when_they_write(chat, app) -> None:
    app.channels["wx"] = wx = WindowChannel()
    async with app.sessions() as session, session.begin():
        await outbox.replies_to(session=session, channel="wx", address="oHELD", texts=[("你的编号是 K7M2QX9P", [])],
                                ref="wx:1", sealer=app.sealer)
    async with app.sessions() as session:
        row = (await session.execute(select(OutboxMessage).where(OutboxMessage.ref == "wx:1"))).scalar_one()
    assert (row.address, row.text) == (None, "") and "K7M2QX9P" not in row.sealed
    await app.delivery.run_once(now=utcnow() + timedelta(seconds=1))
    async with app.sessions() as session:
        assert (await session.get(OutboxMessage, row.id)).state == "undeliverable"
    wx.open = True
    await app.router.handle(Inbound(channel="wx", sender="oOTHER", text="菜单", raw_id="h1"))
    await app.delivery.run_once(now=utcnow() + timedelta(seconds=1))
    assert wx.pushes == []
    await app.router.handle(Inbound(channel="wx", sender="oHELD", text="菜单", raw_id="h2"))
    await app.settle()
    await app.delivery.run_once(now=utcnow() + timedelta(seconds=1))
    assert [(p.address, p.text) for p in wx.pushes] == [("oHELD", "你的编号是 K7M2QX9P")]
    async with app.sessions() as session:
        sent = await session.get(OutboxMessage, row.id)
    assert (sent.state, sent.sealed, sent.text) == ("sent", None, "")
