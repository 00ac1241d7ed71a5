"""A restart in the middle of a flow keeps the flow; a real `xinqiao serve` on loopback works end to end."""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bot.app import App
from bot.db.models import Case, DutySlot, Person
from tests.conftest import Chat


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_real_server_on_loopback(tmp_path: Path, db_url: str) -> None:
    port = _free_port()
    env = dict(os.environ, XINQIAO_DATA_DIR=str(tmp_path / "data"), XINQIAO_DATABASE_URL=db_url,
               XINQIAO_SECRET_KEY="server-test")
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--demo", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            assert time.monotonic() < deadline, "server did not come up"
            time.sleep(0.2)
        assert "心桥" in httpx.get(base + "/chat").text
        r = httpx.post(base + "/chat/api/messages", json={"user": "s1", "text": "我今晚就从楼顶跳下去",
                                                          "client_id": "a"}, timeout=10)
        assert r.status_code == 200 and "110/120" in r.json()["replies"][0]["text"]
        pages: list = []
        deadline = time.monotonic() + 10
        while not pages and time.monotonic() < deadline:
            pages = httpx.get(base + "/chat/api/inbox", params={"user": "demo-counsellor"}).json()["messages"]
            time.sleep(0.2)
        assert pages and pages[0]["kind"] == "page"
        ack = httpx.post(base + "/chat/api/messages", json={"user": "demo-counsellor",
                                                            "text": f"收到 {pages[0]['case_id']}",
                                                            "client_id": "b"}, timeout=10)
        assert "已确认接手" in ack.json()["replies"][0]["text"]
    finally:
        proc.terminate()
        proc.wait(timeout=20)
