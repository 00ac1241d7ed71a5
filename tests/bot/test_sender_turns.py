"""One sender's burst waits for its own turn, holding no connection: other senders are not held up or spooled.

A flood of red notes from one sender used to take every pooled connection, each waiting on the same
conversation row, so another sender's crisis waited past the database bound and was spooled.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.app import App
from bot.config import Settings
from bot.services.messaging.sender_locks import SenderLocks
from keywords import Triager

RED = "我今晚就从楼顶跳下去"
FLOOD = 40
WAIT = 1.5  # XINQIAO_DATABASE_WAIT_SECONDS


@pytest.fixture
async def small(tmp_path: Path, db_url: str, triager: Triager) -> AsyncIterator[App]:
    """The demo school on a pool of two connections (SQLite has one anyway) and a short database bound."""
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url, secret_key="k", database_pool_size=2,
                        database_wait_seconds=WAIT)
    app = App(settings, triager=triager)
    await app.prepare(demo=True)
    app.checkins_on_tick = False
    yield app
    await app.close()


async def test_a_floods_sender_does_not_hold_up_another_senders_crisis(small: App) -> None:
    transport = httpx.ASGITransport(app=small.asgi(clock=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test", timeout=120) as client:

        async def post(user: str, text: str, client_id: str) -> tuple[dict, float]:
            started = time.monotonic()
            r = await client.post("/chat/api/messages", json={"user": user, "text": text, "client_id": client_id})
            assert r.status_code == 200, r.text
            return r.json(), time.monotonic() - started

        async def other() -> tuple[dict, float]:
            await asyncio.sleep(0.05)  # the flood is in flight first
            return await post("s-real", RED, "real-1")

        results = await asyncio.gather(*(post("s-flood", f"{RED} {i}", f"f{i}") for i in range(FLOOD)), other())
        (real, took), flood = results[-1], results[:-1]
        assert small.spool.pending() == 0  # nothing spooled: the burst's wait is not the database's
        assert took < WAIT, took
        assert "消息已经保存" not in real["replies"][0]["text"] and "查看" in real["replies"][0]["text"]
        assert all("消息已经保存" not in body["replies"][0]["text"] for body, _ in flood)
        await small.settle()

        async def inbox() -> list[dict]:
            await small.tick()
            await small.settle()
            r = await client.get("/chat/api/inbox", params={"user": "demo-counsellor"})
            return [m for m in r.json()["messages"] if m["kind"] == "page"]

        deadline = time.monotonic() + WAIT
        while len({p["case_id"] for p in await inbox()}) < 2:  # the flood's case and the real one
            assert time.monotonic() < deadline, "the real crisis was not paged promptly"
            await asyncio.sleep(0.1)


async def test_a_senders_messages_keep_their_order_and_the_registry_empties() -> None:
    locks = SenderLocks()
    seen: list[tuple[str, int]] = []

    async def message(key: str, n: int) -> None:
        async with locks.hold(key):
            await asyncio.sleep(0.01 * (5 - n % 5))  # later messages would finish first without the turn
            seen.append((key, n))

    await asyncio.gather(*(message(key, n) for n in range(10) for key in ("a", "b")))
    assert [n for key, n in seen if key == "a"] == list(range(10))
    assert [n for key, n in seen if key == "b"] == list(range(10))
    assert len(locks) == 0

    async def held() -> None:
        async with locks.hold("c"):
            await asyncio.sleep(1)

    first = asyncio.create_task(held())
    await asyncio.sleep(0)
    waiting = asyncio.create_task(held())
    await asyncio.sleep(0)
    assert len(locks) == 1
    waiting.cancel()  # a request given up while it waits leaves nothing behind
    first.cancel()
    await asyncio.gather(first, waiting, return_exceptions=True)
    assert len(locks) == 0


async def test_the_registry_names_no_address(small: App) -> None:
    seen: list[str] = []
    hold = small.router._senders.hold

    def spy(key: str):  # type: ignore[no-untyped-def]
        seen.append(key)
        return hold(key)

    small.router._senders.hold = spy  # type: ignore[method-assign]
    transport = httpx.ASGITransport(app=small.asgi(clock=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
        r = await client.post("/chat/api/messages", json={"user": "s-private", "text": "你好", "client_id": "p1"})
    assert r.status_code == 200
    assert len(seen) == 1 and "s-private" not in seen[0] and len(seen[0]) == 64
    assert len(small.router._senders) == 0
