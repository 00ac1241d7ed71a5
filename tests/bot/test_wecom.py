"""WeCom: URL verification, encrypted staff commands with passive replies, message/send within 30 a minute."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import xmltodict
from sqlalchemy import func, select
from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto

from bot.app import App
from bot.config import Settings
from bot.db.base import utcnow
from bot.db.models import Identity, OutboxMessage, Person
from bot.events import Inbound
from bot.services.messaging import outbox
from keywords import Triager
from tests.fakes.serve import serving
from tests.fakes.weixin_api import FakeWeixin

TOKEN = "wecom-token"
AES_KEY = base64.b64encode(hashlib.sha256(b"xinqiao-wecom").digest()).decode()[:43]
CORP = "ww-corp"


@pytest.fixture(scope="module")
def weixin() -> Iterator[tuple[FakeWeixin, str]]:
    fake = FakeWeixin(corp_id=CORP)
    with serving(fake.app()) as base:
        yield fake, base


@pytest.fixture
async def wc(tmp_path: Path, db_url: str, triager: Triager, weixin) -> AsyncIterator[tuple[App, FakeWeixin,
                                                                                         httpx.AsyncClient]]:
    fake, base = weixin
    fake.wecom_sent.clear()
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url, secret_key="k", wecom_corp_id=CORP,
                        wecom_agent_id="1000002", wecom_secret=fake.corp_secret, wecom_token=TOKEN,
                        wecom_aes_key=AES_KEY, wecom_api_base=base)
    app = App(settings, triager=triager)
    await app.prepare(demo=True)
    app.checkins_on_tick = False
    async with app.sessions() as session, session.begin():
        chen = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
        session.add(Identity(person_id=chen.id, channel="wecom", external_id="chen"))
    transport = httpx.ASGITransport(app=app.asgi(clock=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
        yield app, fake, client
    await app.close()


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


async def say(app: App, client: httpx.AsyncClient, user: str, text: str, msg_id: int) -> str:
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP)
    ts, nonce = str(int(time.time())), f"n{msg_id}{time.time_ns()}"
    xml = (f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
           f"<CreateTime>{ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]>"
           f"</Content><MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>")
    framed = xmltodict.parse(crypto.encrypt_message(xml, nonce, ts))["xml"]
    body = (f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><Encrypt><![CDATA[{framed['Encrypt']}]]></Encrypt>"
            f"<AgentID><![CDATA[1000002]]></AgentID></xml>")
    r = await client.post("/wecom", params={"msg_signature": framed["MsgSignature"], "timestamp": ts,
                                            "nonce": nonce}, content=body)
    await app.settle()
    assert r.status_code == 200, r.text
    answer = xmltodict.parse(r.text)["xml"]
    plain = crypto.decrypt_message(r.text, answer["MsgSignature"], answer["TimeStamp"], answer["Nonce"])
    return xmltodict.parse(plain)["xml"]["Content"]


async def test_url_verification_decrypts_the_echostr(wc) -> None:
    _app, _fake, client = wc
    ts, nonce = str(int(time.time())), "abc"
    echostr = PrpCrypto(base64.b64decode(AES_KEY + "=")).encrypt("echo-4711", CORP)
    echostr = echostr.decode() if isinstance(echostr, bytes) else echostr
    ok = await client.get("/wecom", params={"msg_signature": sign(TOKEN, ts, nonce, echostr), "timestamp": ts,
                                            "nonce": nonce, "echostr": echostr})
    assert ok.status_code == 200 and ok.text == "echo-4711"
    bad = await client.get("/wecom", params={"msg_signature": "0" * 40, "timestamp": ts, "nonce": nonce,
                                             "echostr": echostr})
    assert bad.status_code == 403


async def test_staff_commands_get_encrypted_passive_replies(wc) -> None:
    app, fake, client = wc
    assert "目前没有待处理的案例" in await say(app, client, "chen", "待处理", 1)
    await app.router.handle(Inbound("web", "s1", "我今晚就从楼顶跳下去", "w1"))
    await app.settle()
    await app.delivery.run_once()
    page = [m for m in fake.wecom_sent if m["touser"] == "chen"]
    assert page and page[0]["agentid"] == 1000002 and "收到 1" in page[0]["text"]["content"]
    assert "已确认接手案例 #1" in await say(app, client, "chen", "收到 1", 2)
    bad = await client.post("/wecom", params={"msg_signature": "0" * 40, "timestamp": str(int(time.time())),
                                              "nonce": "z"}, content=b"<xml><Encrypt>AAAA</Encrypt></xml>")
    assert bad.status_code == 403


async def test_thirty_a_minute_to_one_person_and_the_rest_wait(wc) -> None:
    app, fake, _client = wc
    async with app.sessions() as session, session.begin():
        chen = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
        for n in range(35):
            await outbox.to_person(session=session, person_id=chen.id, kind="notice", text=f"通知 {n}")
    await app.delivery.run_once()
    assert len(fake.wecom_sent) == 30
    async with app.sessions() as session:
        waiting = (await session.execute(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.channel == "wecom", OutboxMessage.state == "pending",
            OutboxMessage.attempts == 0))).scalar_one()
    assert waiting == 5  # queued, not dropped, and not counted as failed attempts
    await app.delivery.run_once(now=utcnow() + timedelta(seconds=61))
    assert sorted(int(m["text"]["content"].split()[-1]) for m in fake.wecom_sent) == list(range(35))


async def test_two_workers_on_one_database_send_thirty_a_minute_between_them(wc) -> None:
    """`serve --workers 2`: the limit is counted in the database, not in each process."""
    app, fake, _client = wc
    other = App(app.settings, triager=app.triager)  # a second process: its own engine and channels

    async def queue(count: int, first: int) -> None:
        async with app.sessions() as session, session.begin():
            chen = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
            for n in range(first, first + count):
                await outbox.to_person(session=session, person_id=chen.id, kind="notice", text=f"通知 {n}")

    async def both(at) -> None:
        if app.engine.dialect.name == "postgresql":  # really at once: the recipient's lock decides
            await asyncio.gather(other.delivery.run_once(now=at), app.delivery.run_once(now=at))
        else:
            await other.delivery.run_once(now=at)
            await app.delivery.run_once(now=at)

    start = utcnow() + timedelta(seconds=1)  # after the rows below are queued
    try:
        await queue(40, 0)
        await app.delivery.run_once(now=start)
        assert len(fake.wecom_sent) == 30
        await queue(40, 40)  # more for the same person, picked up by the other worker first
        await both(start + timedelta(seconds=10))
        assert len(fake.wecom_sent) == 30
        await both(start + timedelta(seconds=61))
        assert len(fake.wecom_sent) == 60
    finally:
        await other.close()
    sent = [int(m["text"]["content"].split()[-1]) for m in fake.wecom_sent]
    assert len(sent) == len(set(sent))  # none twice
