"""The web chat outside the demo: off unless turned on; when on, a sender is a token this server signed, staff
never act through it, JSON only, bodies cut off while they arrive, and headers that keep the page unframed."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.app import App
from bot.channels.webchat_http import Tokens
from bot.config import Settings
from bot.db.models import Identity, InviteCode, Person, Report
from bot.events import Inbound
from bot.services.messaging.sealing import Sealer
from bot.services.school.people import create_invite
from keywords import Triager


async def _app(tmp_path: Path, db_url: str, triager: Triager, webchat: str) -> App:
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url, secret_key="modes-key", webchat=webchat)
    app = App(settings, triager=triager)
    await app.prepare(demo=True)  # the demo people exist, as in a school that once ran the demo
    app.checkins_on_tick = False
    return app


@pytest.fixture
async def on(tmp_path, db_url, triager) -> AsyncIterator[tuple[App, httpx.AsyncClient]]:
    app = await _app(tmp_path, db_url, triager, "on")
    transport = httpx.ASGITransport(app=app.asgi(clock=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
        yield app, client
    await app.close()


async def token(client: httpx.AsyncClient) -> dict[str, str]:
    r = await client.post("/chat/api/token", json={})
    assert r.status_code == 200, r.text
    return {"Authorization": "Bearer " + r.json()["token"]}


async def say(app: App, client: httpx.AsyncClient, auth: dict[str, str], text: str, cid: str) -> httpx.Response:
    r = await client.post("/chat/api/messages", json={"text": text, "client_id": cid}, headers=auth)
    await app.settle()
    return r


async def test_off_unless_turned_on(tmp_path, db_url, triager) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url, secret_key="modes-key")
    app = App(settings, triager=triager)
    await app.prepare()
    try:
        assert app.webchat_mode() == "off" and app.webchat_mode(demo=True) == "demo"
        transport = httpx.ASGITransport(app=app.asgi(clock=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
            assert (await client.get("/chat")).status_code == 404
            r = await client.post("/chat/api/messages", json={"user": "demo-counsellor", "text": "待处理",
                                                              "client_id": "1"})
            assert r.status_code == 404
            assert (await client.get("/chat/api/inbox", params={"user": "demo-counsellor"})).status_code == 404
            assert (await client.post("/chat/api/token", json={})).status_code == 404
            assert "chat" not in (await client.get("/")).json()
    finally:
        await app.close()


async def test_on_nobody_can_type_a_name(on) -> None:
    app, client = on
    r = await client.post("/chat/api/messages", json={"user": "demo-counsellor", "text": "结案 1 false_report",
                                                      "client_id": "1"})
    assert r.status_code == 401 and "token" in r.json()["error"]
    auth = await token(client)
    r = await client.post("/chat/api/messages", json={"user": "demo-counsellor", "text": "待处理", "client_id": "2"},
                          headers=auth)
    assert r.status_code == 400 and "demo" in r.json()["error"]
    assert (await client.get("/chat/api/inbox", params={"user": "demo-counsellor"})).status_code == 400
    assert (await client.get("/chat/api/inbox")).status_code == 401
    address = auth["Authorization"].split()[1].split(".")[0]
    for forged in (f"{address}.{'A' * 22}", "demo-counsellor", f"{'a' * 32}.{'b' * 22}"):
        r = await client.get("/chat/api/inbox", headers={"Authorization": f"Bearer {forged}"})
        assert r.status_code == 401, forged
    elsewhere = Tokens(Sealer("another server's key")).issue()  # signed, but not by us
    assert (await client.get("/chat/api/inbox", headers={"Authorization": f"Bearer {elsewhere}"})).status_code == 401
    assert (await client.get("/chat/api/inbox", headers=auth)).json() == {"messages": []}


async def test_on_a_note_and_its_reply_reach_only_their_browser(on) -> None:
    app, client = on
    alice, mallory = await token(client), await token(client)
    assert alice != mallory
    r = await say(app, client, alice, "匿名心理信箱", "a2")
    assert r.status_code == 200
    r = await say(app, client, alice, "和室友闹矛盾了，很难受", "a3")
    code = re.search(r"[A-Z2-9]{8}", " ".join(x["text"] for x in r.json()["replies"])).group(0)
    # the counsellor answers from another channel (here straight through the router)
    await app.router.handle(Inbound(channel="web", sender="demo-counsellor", text=f"回复 {code} 你好，我是陈老师",
                                    raw_id="t1"))
    await app.settle()
    await app.tick()
    mine = (await client.get("/chat/api/inbox", headers=alice)).json()["messages"]
    assert [m["kind"] for m in mine] == ["reply"] and "陈老师" in mine[0]["text"] and mine[0]["at"] is None
    assert (await client.get("/chat/api/inbox", headers=mallory)).json() == {"messages": []}


async def test_on_staff_never_act_through_it(on) -> None:
    app, client = on
    async with app.sessions() as session, session.begin():
        school_id = (await session.execute(select(Person.school_id))).scalars().first()
        _, staff_code = await create_invite(session=session, school_id=school_id, name="新来的王老师",
                                            role="counsellor", group=None)
        _, member_code = await create_invite(session=session, school_id=school_id, name="新委员小赵",
                                             role="member_class", group="初二(3)班")
    auth = await token(client)
    r = await say(app, client, auth, f"绑定 {staff_code}", "b1")
    assert r.status_code == 200 and "控制台" in r.json()["replies"][0]["text"]
    async with app.sessions() as session:
        invite = (await session.execute(select(InviteCode).where(InviteCode.code == staff_code))).scalar_one()
        assert invite.used_at is None  # refused, and still usable on WeCom or Telegram
        assert (await session.execute(select(Identity).where(Identity.channel == "web",
                                                             Identity.person_id == invite.person_id))).first() is None
    r = await say(app, client, auth, f"绑定 {member_code}", "b2")
    assert "绑定成功" in r.json()["replies"][0]["text"]  # members may bind here
    # a staff identity bound on the web chat earlier (the demo, or before this version) is refused
    staff_auth = await token(client)
    address = staff_auth["Authorization"].split()[1].split(".")[0]
    async with app.sessions() as session, session.begin():
        chen = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
        session.add(Identity(person_id=chen.id, channel="web", external_id=address))
    for r in (await say(app, client, staff_auth, "待处理", "s1"),
              await client.get("/chat/api/inbox", headers=staff_auth)):
        assert r.status_code == 403 and "控制台" in r.json()["error"]


@pytest.mark.parametrize("mode", ["on", "demo"])
async def test_json_only_and_bodies_cut_off_while_arriving(tmp_path, db_url, triager, mode) -> None:
    app = await _app(tmp_path, db_url, triager, mode)
    try:
        transport = httpx.ASGITransport(app=app.asgi(clock=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
            auth = await token(client) if mode == "on" else {}
            fields = '"text": "我不想活了", "client_id": "x1"' + (', "user": "u1"' if mode == "demo" else "")
            for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None):
                headers = dict(auth, **({"Content-Type": content_type} if content_type else {}))
                r = await client.post("/chat/api/messages", content="{" + fields + "}", headers=headers)
                assert r.status_code == 415, content_type  # no simple cross-site post gets in
            read = []

            async def huge() -> AsyncIterator[bytes]:
                for _ in range(300):  # 300 MiB if it were all read
                    read.append(1)
                    yield b" " * (1 << 20)

            r = await client.post("/chat/api/messages", content=huge(),
                                  headers=dict(auth, **{"Content-Type": "application/json"}))
            assert r.status_code == 413 and len(read) <= 2  # refused after the first chunk past the limit
            r = await client.post("/chat/api/messages", content=b"{}", headers=dict(
                auth, **{"Content-Type": "application/json", "Content-Length": str(300 << 20)}))
            assert r.status_code == 413  # a declared size over the limit: refused before reading
            r = await client.post("/chat/api/messages", content="[" * 100_000 + "]" * 100_000,
                                  headers=dict(auth, **{"Content-Type": "application/json"}))
            assert r.status_code == 413
            r = await client.post("/chat/api/messages", content="[" * 5_000 + "]" * 5_000,
                                  headers=dict(auth, **{"Content-Type": "application/json; charset=utf-8"}))
            assert r.status_code == 400
            async with app.sessions() as session:
                assert (await session.execute(select(Report))).first() is None  # nothing refused was written
            r = await client.post("/chat/api/messages", content="{" + fields + "}",
                                  headers=dict(auth, **{"Content-Type": "application/json; charset=utf-8"}))
            assert r.status_code == 200 and "12356" in r.text
    finally:
        await app.close()


@pytest.mark.parametrize("mode", ["on", "demo"])
async def test_security_headers_on_page_and_api(tmp_path, db_url, triager, mode) -> None:
    app = await _app(tmp_path, db_url, triager, mode)
    try:
        transport = httpx.ASGITransport(app=app.asgi(clock=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
            page = await client.get("/chat")
            auth = await token(client) if mode == "on" else {}
            api = await client.get("/chat/api/inbox", params={} if mode == "on" else {"user": "u1"}, headers=auth)
            bad = await client.post("/chat/api/messages", content="x", headers=auth)
        assert f'data-mode="{mode}"' in page.text
        for r in (page, api, bad):
            assert r.headers["x-frame-options"] == "DENY"
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["referrer-policy"] == "no-referrer"
            assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        policy = page.headers["content-security-policy"]
        script = re.search(r"<script>(.*?)</script>", page.text, re.S).group(1)
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"script-src 'sha256-{digest}'" in policy and "unsafe-inline" not in policy
        assert "default-src 'none'" in api.headers["content-security-policy"]
    finally:
        await app.close()


@pytest.mark.parametrize("setting, says, warns, chat", [
    ("", "web chat: off", False, 404),
    ("on", "web chat: ON", True, 200),
    ("demo", "web chat: DEMO", True, 200),
])
def test_serve_says_whether_the_chat_is_on(tmp_path, setting, says, warns, chat) -> None:
    import subprocess
    import sys
    import time

    from tests.server import free_port, server_env
    env = server_env(tmp_path / "data", f"sqlite:///{tmp_path / 'serve.db'}", XINQIAO_WEBCHAT=setting)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(port)], env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        assert httpx.get(f"http://127.0.0.1:{port}/chat", timeout=5).status_code == chat
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    printed = log.read_text()
    assert says in printed
    assert ("WARNING" in printed) is warns
