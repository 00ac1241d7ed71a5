"""Telegram against a fake Bot API server on loopback: webhook with right and wrong secrets, polling,
inline keyboards and button presses, update_id de-duplication, 429 retry_after, a page on two channels."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.app import App
from bot.config import Settings
from bot.db.base import utcnow
from bot.db.models import InboundRecord, OutboxMessage, Person
from bot.events import Inbound
from bot.services.crisis import escalation
from bot.services.school.people import create_invite
from keywords import Triager
from tests.fakes.serve import serving
from tests.fakes.telegram_api import FakeTelegram

SECRET = "s3cret-webhook-token"


@pytest.fixture(scope="module")
def telegram_api() -> Iterator[tuple[FakeTelegram, str]]:
    fake = FakeTelegram()
    with serving(fake.app()) as base:
        yield fake, base


async def make_app(tmp_path: Path, db_url: str, triager: Triager, base: str, fake: FakeTelegram,
                   mode: str) -> App:
    fake.sent.clear()
    fake.updates.clear()
    fake.script.clear()
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url, secret_key="k",
                        telegram_token=fake.token, telegram_api_base=base, telegram_mode=mode,
                        telegram_webhook_secret=SECRET)
    app = App(settings, triager=triager)
    await app.prepare(demo=True)
    app.checkins_on_tick = False
    return app


@pytest.fixture
async def hooked(tmp_path, db_url, triager, telegram_api) -> AsyncIterator[tuple[App, FakeTelegram, httpx.AsyncClient]]:
    fake, base = telegram_api
    app = await make_app(tmp_path, db_url, triager, base, fake, "webhook")
    await app.start_channels()
    transport = httpx.ASGITransport(app=app.asgi(clock=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
        yield app, fake, client
    await app.close()


async def post_update(app: App, client: httpx.AsyncClient, update: dict, secret: str | None = SECRET
                      ) -> httpx.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    response = await client.post("/telegram", json=update, headers=headers)
    await app.settle()
    await app.delivery.run_once()
    return response


async def test_webhook_secret_keyboard_buttons_and_dedupe(hooked) -> None:
    app, fake, client = hooked
    update = fake.message_update(42, "菜单")
    for wrong in (None, "nope", SECRET + "x"):
        assert (await post_update(app, client, update, wrong)).status_code == 403
    async with app.sessions() as session:
        assert (await session.execute(select(InboundRecord))).first() is None  # nothing written
    assert (await post_update(app, client, update)).status_code == 200
    assert len(fake.sent) == 1 and fake.sent[0]["chat_id"] == 42
    buttons = [row[0]["text"] for row in fake.sent[0]["reply_markup"]["inline_keyboard"]]
    assert "匿名心理信箱" in buttons
    assert (await post_update(app, client, update)).status_code == 200  # Telegram retries the same update
    assert len(fake.sent) == 1
    press = fake.button_update(42, "求助热线")
    assert (await post_update(app, client, press)).status_code == 200
    assert "12356" in fake.sent[-1]["text"] and press["callback_query"]["id"] in fake.answered
    assert (await post_update(app, client, {"update_id": "x"})).status_code == 400


async def test_crisis_over_telegram_and_a_page_on_two_channels(hooked) -> None:
    app, fake, client = hooked
    async with app.sessions() as session, session.begin():
        counsellor = (await session.execute(select(Person).where(Person.name.startswith("张老师")))).scalar_one()
        _p, code = await create_invite(session=session, school_id=app.school_id, name=counsellor.name,
                                       role="counsellor", group=None, valid_days=1)
    await post_update(app, client, fake.message_update(7, f"绑定 {code}"))
    assert "绑定" in fake.sent[-1]["text"] or "已" in fake.sent[-1]["text"]
    await post_update(app, client, fake.message_update(99, "我今晚就从楼顶跳下去"))
    student = [m for m in fake.sent if m["chat_id"] == 99]
    assert student and "12356" in student[0]["text"]
    async with app.sessions() as session:  # the sent reply (with the note's thread code) is not kept
        kept = (await session.execute(select(OutboxMessage.text, OutboxMessage.options, OutboxMessage.state,
                                             OutboxMessage.address, OutboxMessage.sealed).where(
            OutboxMessage.kind == "reply", OutboxMessage.person_id.is_(None)))).all()
    assert kept and all(row == ("", [], "sent", None, None) for row in kept)
    # the on-duty counsellor is paged on the web chat; the backup (bound on Telegram too) after 5 minutes
    later = utcnow() + timedelta(minutes=5, seconds=1)
    await escalation.run_due(sessions=app.sessions, zone=app.settings.zone, now=later)
    await app.delivery.run_once(now=later)
    page = [m for m in fake.sent if m["chat_id"] == 7 and "心桥预警" in m["text"]]
    assert page and page[0]["reply_markup"]["inline_keyboard"][0][0]["text"].startswith("收到")
    inbox = (await client.get("/chat/api/inbox", params={"user": "demo-backup"})).json()["messages"]
    assert any(m["kind"] == "page" for m in inbox)  # and on the web chat
    await post_update(app, client, fake.button_update(7, page[0]["reply_markup"]["inline_keyboard"][0][0][
        "callback_data"]))
    assert "已确认接手" in fake.sent[-1]["text"] or "已由" in fake.sent[-1]["text"]


async def test_429_is_retried_after_the_time_telegram_gives(hooked) -> None:
    app, fake, client = hooked
    fake.script.extend([30])
    await post_update(app, client, fake.message_update(5, "菜单"))
    async with app.sessions() as session:
        row = (await session.execute(select(OutboxMessage).where(OutboxMessage.channel == "telegram"))).scalar_one()
    assert row.state == "pending" and "429" in (row.last_error or "")
    assert timedelta(seconds=25) < row.due_at - utcnow() <= timedelta(seconds=31)
    await app.delivery.run_once(now=utcnow() + timedelta(seconds=31))
    assert len(fake.sent) == 1


async def test_polling_mode(tmp_path, db_url, triager, telegram_api) -> None:
    fake, base = telegram_api
    app = await make_app(tmp_path, db_url, triager, base, fake, "polling")
    assert app.telegram is not None
    app.telegram._poll_timeout = 1
    try:
        await app.start_channels()
        fake.updates.append(fake.message_update(11, "菜单"))
        fake.updates.append(fake.message_update(11, "求助热线"))
        deadline = time.monotonic() + 10
        while len(fake.sent) < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            await app.delivery.run_once()
        assert [m["chat_id"] for m in fake.sent] == [11, 11] and "12356" in fake.sent[1]["text"]
        assert "deleteWebhook" in fake.calls
    finally:
        await app.close()


async def test_telegram_down_at_start_does_not_stop_the_bot(tmp_path, db_url, triager) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url, secret_key="k", telegram_token="1:x",
                        telegram_api_base="http://127.0.0.1:9", telegram_mode="polling")
    app = App(settings, triager=triager)
    await app.prepare(demo=True)
    try:
        await asyncio.wait_for(app.start_channels(), timeout=2)
        replies = await app.router.handle(Inbound("web", "s1", "菜单", "d1"))
        assert replies  # everything else works while Telegram is unreachable
    finally:
        await app.close()


async def test_crisis_answered_while_the_database_is_locked(hooked, db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("a SQLite lock")
    import sqlite3

    app, fake, client = hooked
    app.settings.database_wait_seconds = 0.5
    holder = sqlite3.connect(db_url.split(":///", 1)[1], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = await client.post("/telegram", json=fake.message_update(55, "我今晚就从楼顶跳下去"),
                                     headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert response.status_code == 200
        answer = [m for m in fake.sent if m["chat_id"] == 55]
        assert answer and "12356" in answer[0]["text"] and "消息已经保存" in answer[0]["text"]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert app.spool.pending() == 1
    assert await app.tick() >= 1 and app.spool.pending() == 0  # replayed: the note is filed, its code sent
    await app.settle()
    await app.delivery.run_once()
    assert any("查看" in m["text"] for m in fake.sent if m["chat_id"] == 55)


async def test_replies_are_queued_in_the_messages_own_transaction(hooked, monkeypatch) -> None:
    app, _fake, _client = hooked
    from bot.services.messaging import outbox

    async def refused(**_kw: object) -> None:
        raise RuntimeError("the outbox refused")

    async with app.sessions() as session:
        before = len((await session.execute(select(InboundRecord.id))).all())
    monkeypatch.setattr(outbox, "replies_to", refused)
    with pytest.raises(RuntimeError):
        await app.router.handle(Inbound("telegram", "77", "菜单", "update:77"))
    async with app.sessions() as session:  # the message is not kept as handled without its replies queued
        assert len((await session.execute(select(InboundRecord.id))).all()) == before
