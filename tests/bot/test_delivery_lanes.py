"""One slow or hung recipient never delays a page to anyone else; one recipient's messages keep their order."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.app import App
from bot.db.models import OutboxMessage, Person
from bot.services.messaging import outbox
from keywords import Triager
from tests.bot.conftest import wecom_app
from tests.fakes.weixin_api import FakeWeixin

RED = "我今晚就从楼顶跳下去"
HANG = 8.0  # seconds a send to the slow recipient hangs (the client's timeout is 10 s)


@pytest.fixture
async def wc(tmp_path: Path, db_url: str, triager: Triager, weixin) -> AsyncIterator[tuple[App, FakeWeixin]]:
    fake, _base = weixin
    fake.wecom_sent.clear()
    fake.slow_to, fake.hang_seconds = {"leader"}, HANG
    async with wecom_app(tmp_path, db_url, triager, weixin, {"陈老师": "chen", "刘校长": "leader"}) as app:
        try:
            yield app, fake
        finally:
            fake.slow_to = set()


async def _notify_leader(app: App, texts: list[str]) -> None:
    async with app.sessions() as session, session.begin():
        leader = (await session.execute(select(Person).where(Person.name.startswith("刘校长")))).scalar_one()
        for text in texts:
            await outbox.to_person(session=session, person_id=leader.id, kind="notice", text=text,
                                   priority=outbox.PRIORITY_PAGE)


def _to(fake: FakeWeixin, address: str) -> list[str]:
    return [m["text"]["content"] for m in fake.wecom_sent if m["touser"] == address]


async def test_a_hung_recipient_does_not_delay_a_red_page_to_another(wc) -> None:
    app, fake = wc
    await _notify_leader(app, ["第一条通知", "第二条通知"])  # due first, and first in the claim's order
    transport = httpx.ASGITransport(app=app.asgi(clock=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
        started = time.monotonic()
        ticking = asyncio.ensure_future(app.tick())  # claims the leader's rows: the first send hangs
        await asyncio.sleep(0.2)
        answer = await client.post("/chat/api/messages", json={"user": "student-1", "text": RED, "client_id": "c1"})
        assert answer.status_code == 200 and "12356" in answer.json()["replies"][0]["text"]
        while not _to(fake, "chen") and time.monotonic() - started < HANG:
            await asyncio.sleep(0.05)
        took = time.monotonic() - started
        assert _to(fake, "chen") and "楼顶" in _to(fake, "chen")[0], "the page waited behind the hung recipient"
        assert took < 3.0
        assert _to(fake, "leader") == []  # still hanging: the page did not wait for it
        await ticking
        await app.settle()
    assert _to(fake, "leader") == ["第一条通知", "第二条通知"]  # one recipient's messages in order, once each
    async with app.sessions() as session:
        states = set((await session.execute(select(OutboxMessage.state).where(
            OutboxMessage.channel == "wecom"))).scalars())
    assert states == {"sent"}


async def test_a_tick_does_not_wait_out_a_hung_send(wc) -> None:
    """The clock's tick (escalation steps, other deliveries) goes on while a send hangs."""
    app, fake = wc
    await _notify_leader(app, ["通知"])
    started = time.monotonic()
    await app.tick()
    assert time.monotonic() - started < 3.0 and _to(fake, "leader") == []
    await app.settle()
    assert _to(fake, "leader") == ["通知"]
