"""A restart in the middle of a flow keeps the flow; a real `xinqiao serve` on loopback works end to end."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bot.app import App
from bot.db.models import Case, DutySlot, Person
from tests.conftest import Chat
from tests.server import Server, server_env


async def test_restart_mid_flow(app, settings, triager) -> None:
    transport = httpx.ASGITransport(app=app.asgi(clock=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        chat = Chat(client, app)
        await chat.say("demo-member", "报告同学情况")
        await chat.say("demo-member", "后排的小张")
    await app.close()

    again = App(settings, triager=triager)
    await again.prepare(demo=True)
    transport = httpx.ASGITransport(app=again.asgi(clock=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        chat = Chat(client, again)
        chat._ids = itertools.count(100)  # new messages; the same client ids would be retries
        replies = await chat.say("demo-member", "情绪低落")
        assert "已选：情绪低落" in replies[0]["text"]
        for text in ("完成", "无", "确认提交"):
            replies = await chat.say("demo-member", text)
        assert "报告已提交" in replies[0]["text"]
    async with again.sessions() as session:
        assert (await session.execute(select(Case.subject))).scalar_one() == "后排的小张"
        # serving again seeded nothing twice
        assert (await session.execute(select(func.count(Person.id)))).scalar_one() == 5
        assert (await session.execute(select(func.count(DutySlot.id)))).scalar_one() == 7
    await again.close()


def test_real_server_on_loopback(tmp_path: Path, db_url: str) -> None:
    server = Server(server_env(tmp_path / "data", db_url))
    try:
        server.wait_up()
        assert "心桥" in httpx.get(server.base + "/chat").text
        assert "110/120" in server.say("s1", "我今晚就从楼顶跳下去", "a")[0]["text"]
        pages: list = []
        deadline = time.monotonic() + 10
        while not pages and time.monotonic() < deadline:
            pages = server.inbox("demo-counsellor")
            time.sleep(0.2)
        assert pages and pages[0]["kind"] == "page"
        ack = server.say("demo-counsellor", f"收到 {pages[0]['case_id']}", "b")
        assert "已确认接手" in ack[0]["text"]
    finally:
        server.stop()
