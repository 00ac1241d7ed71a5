"""Bad input gets a 4xx with a reason or a re-prompt; a duplicated client_id creates nothing."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from sqlalchemy import func, select

from bot.db.models import Case, Conversation, InboundRecord, Report
from bot.services.messaging.conversations import conversation_key
from bot.services.messaging.inbound import dedupe_key


@pytest.mark.parametrize("body, status, reason", [
    (b"not json", 400, "JSON"),
    (b"[1, 2]", 400, "object"),
    (b'{"user": "", "text": "hi", "client_id": "1"}', 400, "user"),
    (b'{"user": "a b", "text": "hi", "client_id": "1"}', 400, "user"),
    (b'{"user": "u1", "text": 5, "client_id": "1"}', 400, "text"),
    (b'{"user": "u1", "text": "hi"}', 400, "client_id"),
    (b'{"user": "u1", "text": "hi", "client_id": 7}', 400, "client_id"),
])
async def test_bad_requests(chat, body: bytes, status: int, reason: str) -> None:
    response = await chat.client.post("/chat/api/messages", content=body,
                                      headers={"content-type": "application/json"})
    assert response.status_code == status and reason in response.json()["error"]


async def test_too_long_is_413(chat) -> None:
    response = await chat.post("u1", "好" * 20_001)
    assert response.status_code == 413 and "longer" in response.json()["error"]


@pytest.mark.parametrize("text", ["", "😀😀😀", "\x00\x01\x02", "好" * 10_000, "   "])
async def test_odd_text_gets_a_reply(chat, text: str) -> None:
    replies = await chat.say("odd-user", text)
    assert replies and replies[0]["text"]


async def test_long_note_reprompts_and_loses_nothing(chat, app) -> None:
    await chat.say("u2", "匿名心理信箱")
    replies = await chat.say("u2", "我" * 10_000)
    assert "精简" in replies[0]["text"]
    long_crisis = "我" * 5_000 + "我今晚就跳楼"
    replies = await chat.say("u3", long_crisis)
    assert "12356" in replies[0]["text"]
    async with app.sessions() as session:
        assert (await session.execute(select(Report.text))).scalar_one() == long_crisis


async def test_duplicate_client_id_creates_nothing(chat, app) -> None:
    first = await chat.say("u4", "我不想活了", client_id="same-1")
    again = await chat.say("u4", "我不想活了", client_id="same-1")
    assert first == again
    async with app.sessions() as session:
        assert (await session.execute(select(func.count(Case.id)))).scalar_one() == 1
    assert len(await chat.inbox("demo-counsellor")) == 1


async def test_inbox_validation(chat) -> None:
    assert (await chat.client.get("/chat/api/inbox", params={"user": ""})).status_code == 400
    bad = await chat.client.get("/chat/api/inbox", params={"user": "u1", "after": "x"})
    assert bad.status_code == 400 and "after" in bad.json()["error"]


async def test_inbox_after(chat) -> None:
    await chat.say("u5", "我想死")
    await chat.say("u6", "我不想活了")
    pages = await chat.inbox("demo-counsellor")
    assert len(pages) == 2
    assert [m["id"] for m in await chat.inbox("demo-counsellor", after=pages[0]["id"])] == [pages[1]["id"]]


async def test_unknown_case_and_thread(chat) -> None:
    assert "没有找到案例" in (await chat.say("demo-counsellor", "记录 12345 test"))[0]["text"]
    assert "没有找到" in (await chat.say("demo-counsellor", "回复 ZZZZZZZZ 你好"))[0]["text"]
    assert "没有找到" in (await chat.say("student-x", "查看 ZZZZZZZZ"))[0]["text"]


async def test_healthz(chat, app) -> None:
    ok = await chat.client.get("/healthz")
    assert ok.status_code == 200 and ok.json()["status"] == "ok"
    await app.engine.dispose()
    app.engine.sync_engine.pool.dispose()
    from sqlalchemy.ext.asyncio import create_async_engine
    broken = create_async_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    app.sessions.configure(bind=broken)
    down = await chat.client.get("/healthz")
    assert down.status_code == 503
    await broken.dispose()


async def test_two_first_messages_at_once_both_answered(chat, app) -> None:
    """A new sender's first two messages racing to create the conversation are both handled."""
    first, second = await asyncio.gather(chat.post("racer", "你好", client_id="r-1"),
                                         chat.post("racer", "菜单", client_id="r-2"))
    assert first.status_code == second.status_code == 200
    assert first.json()["replies"] and second.json()["replies"]
    async with app.sessions() as session:
        keys = [dedupe_key(app.sealer, "web", "racer:r-1"), dedupe_key(app.sealer, "web", "racer:r-2")]
        records = (await session.execute(select(func.count(InboundRecord.id)).where(
            InboundRecord.channel == "web", InboundRecord.dedupe_key.in_(keys)))).scalar_one()
        conversations = (await session.execute(select(func.count()).select_from(Conversation).where(
            Conversation.channel == "web",
            Conversation.sender_key == conversation_key(app.sealer, "web", "racer")))).scalar_one()
    assert (records, conversations) == (2, 1)


async def test_nothing_at_rest_links_an_anonymous_sender_to_their_note(chat, app) -> None:
    """The sender's conversation and their message records hold the thread code and case only sealed."""
    replies = await chat.say("anon-7", "我不想活了")
    code = re.search(r"查看 ([A-Z0-9]{8})", " ".join(o for r in replies for o in r["options"])).group(1)
    async with app.sessions() as session:
        conv = await session.get(Conversation, ("web", conversation_key(app.sealer, "web", "anon-7")))
        records = (await session.execute(select(InboundRecord.replies))).scalars().all()
    stored = json.dumps([conv.data, records], ensure_ascii=False)
    assert code not in stored and "_crisis" not in stored and "查看" not in stored
    assert records and app.sealer.open_stored(conv.data)["_crisis"]["level"] in ("red", "orange")
    # and it still works: the next message keeps the resources, a retry gets the same replies
    again = await chat.say("anon-7", "1", client_id="anon-view")  # the first option shown: 查看 <code>
    assert code in again[0]["text"] and "12356" in again[-1]["text"]
    assert await chat.say("anon-7", "1", client_id="anon-view") == again
