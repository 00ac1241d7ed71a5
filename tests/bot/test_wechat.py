"""The WeChat Official Account: pushes built as WeChat builds them, passive replies, the customer-service API."""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import xmltodict
from sqlalchemy import func, select
from wechatpy.crypto import WeChatCrypto

from bot.app import App
from bot.config import Settings
from bot.db.models import CallbackNonce, Identity, InboundRecord, OutboxMessage, Person
from keywords import Triager
from tests.fakes.serve import serving
from tests.fakes.weixin_api import FakeWeixin

TOKEN = "wx-callback-token"
AES_KEY = base64.b64encode(hashlib.sha256(b"xinqiao-test").digest()).decode()[:43]
APP_ID = "wx-app"
_nonces = itertools.count(1)


@pytest.fixture(scope="module")
def weixin() -> Iterator[tuple[FakeWeixin, str]]:
    fake = FakeWeixin(app_id=APP_ID)
    with serving(fake.app()) as base:
        yield fake, base


@pytest.fixture(params=["safe-mode"])
async def wx(request, tmp_path: Path, db_url: str, triager: Triager, weixin) -> AsyncIterator[tuple[App, FakeWeixin]]:
    """The app with WeChat on: safe mode (an EncodingAESKey), or plaintext mode when parametrised so."""
    fake, base = weixin
    fake.sent.clear()
    fake.script.clear()
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url, secret_key="k", wechat_token=TOKEN,
                        wechat_app_id=APP_ID, wechat_app_secret=fake.secret,
                        wechat_aes_key=AES_KEY if request.param == "safe-mode" else "", wechat_api_base=base)
    app = App(settings, triager=triager)
    await app.prepare(demo=True)
    app.checkins_on_tick = False
    yield app, fake
    await app.close()


class WeChat:
    """Builds pushes exactly as WeChat does: signature over token, timestamp, nonce; AES framing in safe mode."""

    def __init__(self, client: httpx.AsyncClient, app: App) -> None:
        self.client, self.app = client, app
        self.crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
        self.aes = bool(app.settings.wechat_aes_key)  # pushes are encrypted exactly when the app has the key

    @staticmethod
    def xml(openid: str, kind: str, create_time: int, **fields: str | int) -> str:
        extra = "".join(f"<{k}><![CDATA[{v}]]></{k}>" if isinstance(v, str) else f"<{k}>{v}</{k}>"
                        for k, v in fields.items())
        return (f"<xml><ToUserName><![CDATA[gh_xinqiao]]></ToUserName><FromUserName><![CDATA[{openid}]]>"
                f"</FromUserName><CreateTime>{create_time}</CreateTime><MsgType><![CDATA[{kind}]]></MsgType>"
                f"{extra}</xml>")

    async def post(self, xml: str | bytes, *, aes: bool | None = None, timestamp: int | None = None,
                   nonce: str | None = None, bad_signature: bool = False, bad_msg_signature: bool = False
                   ) -> httpx.Response:
        ts, nonce = str(timestamp or int(time.time())), nonce or f"n{next(_nonces)}x{time.time_ns()}"
        sig = hashlib.sha1("".join(sorted([TOKEN, ts, nonce])).encode()).hexdigest()
        params = {"signature": "0" * 40 if bad_signature else sig, "timestamp": ts, "nonce": nonce,
                  "openid": "o"}
        body = xml.encode() if isinstance(xml, str) else xml
        if self.aes if aes is None else aes:
            framed = xmltodict.parse(self.crypto.encrypt_message(xml, nonce, ts))["xml"]
            body = (f"<xml><ToUserName><![CDATA[gh_xinqiao]]></ToUserName><Encrypt><![CDATA[{framed['Encrypt']}]]>"
                    f"</Encrypt></xml>").encode()
            params |= {"encrypt_type": "aes", "msg_signature": "0" * 40 if bad_msg_signature
                       else framed["MsgSignature"]}
        response = await self.client.post("/wechat", params=params, content=body)
        await self.app.settle()
        return response

    def reply_text(self, response: httpx.Response, aes: bool | None = None) -> str:
        assert response.status_code == 200, response.text
        xml = response.text
        if self.aes if aes is None else aes:
            framed = xmltodict.parse(xml)["xml"]
            xml = self.crypto.decrypt_message(xml, framed["MsgSignature"], framed["TimeStamp"], framed["Nonce"])
        return xmltodict.parse(xml)["xml"]["Content"]

    async def text(self, openid: str, content: str, msg_id: int, **kw) -> httpx.Response:
        return await self.post(self.xml(openid, "text", int(time.time()), Content=content, MsgId=msg_id), **kw)


@pytest.fixture
async def wechat(wx) -> AsyncIterator[WeChat]:
    app, _fake = wx
    transport = httpx.ASGITransport(app=app.asgi(clock=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
        yield WeChat(client, app)


async def count(app: App, model) -> int:
    async with app.sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_url_verification(wechat) -> None:
    ts, nonce = str(int(time.time())), "abc"
    sig = hashlib.sha1("".join(sorted([TOKEN, ts, nonce])).encode()).hexdigest()
    ok = await wechat.client.get("/wechat", params={"signature": sig, "timestamp": ts, "nonce": nonce,
                                                    "echostr": "echo-123"})
    assert ok.status_code == 200 and ok.text == "echo-123"
    bad = await wechat.client.get("/wechat", params={"signature": "x", "timestamp": ts, "nonce": nonce,
                                                     "echostr": "echo-123"})
    assert bad.status_code == 403


@pytest.mark.parametrize("wx", ["plaintext", "safe-mode"], indirect=True)
async def test_text_gets_a_passive_reply_and_a_retry_gets_the_same(wechat) -> None:
    first = await wechat.text("oSTUDENT", "菜单", 1001)
    text = wechat.reply_text(first)
    assert "匿名心理信箱" in text and "回复数字选择" in text
    again = await wechat.text("oSTUDENT", "菜单", 1001)  # WeChat's retry: same MsgId, new nonce
    assert wechat.reply_text(again) == text
    assert await count(wechat.app, InboundRecord) == 1


@pytest.mark.parametrize("wx", ["plaintext", "safe-mode"], indirect=True)
async def test_a_repeated_request_gets_the_stored_answer(wechat, wx) -> None:
    """WeChat's retry of a push whose answer was lost repeats its query string, nonce and all."""
    aes = bool(wx[0].settings.wechat_aes_key)
    xml = wechat.xml("oSTUDENT", "text", int(time.time()), Content="我今晚就从楼顶跳下去", MsgId=1501)
    first = await wechat.post(xml, aes=aes, nonce="lost-answer")
    text = wechat.reply_text(first, aes)
    assert "110/120" in text
    again = await wechat.post(xml, aes=aes, nonce="lost-answer")
    assert wechat.reply_text(again, aes) == text
    other = wechat.xml("oSTUDENT", "text", int(time.time()), Content="你好", MsgId=1502)
    assert (await wechat.post(other, aes=aes, nonce="lost-answer")).status_code == 403  # a replay, not a retry
    assert await count(wechat.app, InboundRecord) == 1


async def test_crisis_in_safe_mode_answers_with_resources_and_pages(wechat, wx) -> None:
    response = await wechat.text("oSTUDENT", "我今晚就从楼顶跳下去", 2001, aes=True)
    text = wechat.reply_text(response, aes=True)
    assert "12356" in text and "110/120" in text
    async with wechat.app.sessions() as session:
        pages = (await session.execute(select(OutboxMessage).where(OutboxMessage.kind == "page"))).scalars().all()
    assert pages and all("oSTUDENT" not in p.text for p in pages)


async def test_refusals_write_nothing(wechat) -> None:
    xml = wechat.xml("oSTUDENT", "text", int(time.time()), Content="你好", MsgId=3001)
    assert (await wechat.post(xml, bad_signature=True)).status_code == 403
    assert (await wechat.post(xml, bad_msg_signature=True)).status_code == 403
    assert (await wechat.post(xml, timestamp=int(time.time()) - 330)).status_code == 403
    assert (await wechat.post(xml, timestamp=int(time.time()) + 330)).status_code == 403
    xxe = ('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>'
           '<MsgType>text</MsgType><Content>&x;</Content><MsgId>3002</MsgId></xml>')
    assert (await wechat.post(xxe, aes=False)).status_code == 400
    assert (await wechat.post(xxe)).status_code == 400  # inside the encrypted frame too
    big = wechat.xml("oSTUDENT", "text", int(time.time()), Content="长" * 30000, MsgId=3003)
    assert (await wechat.post(big, aes=False)).status_code == 413
    assert await count(wechat.app, InboundRecord) == 0 and await count(wechat.app, CallbackNonce) == 0
    ok = await wechat.post(xml, nonce="same-nonce")
    assert ok.status_code == 200
    replay = wechat.xml("oSTUDENT", "text", int(time.time()), Content="你好", MsgId=3004)
    assert (await wechat.post(replay, nonce="same-nonce")).status_code == 403
    assert await count(wechat.app, InboundRecord) == 1


async def test_events_and_other_message_types(wechat) -> None:
    now = int(time.time())
    hello = await wechat.post(wechat.xml("oNEW", "event", now, Event="subscribe", EventKey=""))
    assert "欢迎关注" in wechat.reply_text(hello) and "匿名心理信箱" in wechat.reply_text(hello)
    bye = await wechat.post(wechat.xml("oNEW", "event", now + 1, Event="unsubscribe"))
    assert bye.status_code == 200 and bye.text == "success"
    click = await wechat.post(wechat.xml("oNEW", "event", now + 2, Event="CLICK", EventKey="求助热线"))
    assert "12356" in wechat.reply_text(click)
    image = await wechat.post(wechat.xml("oNEW", "image", now + 3, PicUrl="http://x/1.jpg", MediaId="m",
                                         MsgId=4001))
    assert "只能读懂文字" in wechat.reply_text(image)


async def test_pushes_use_the_customer_service_api_with_one_cached_token(wechat, wx) -> None:
    app, fake = wx
    async with app.sessions() as session, session.begin():
        counsellor = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
        session.add(Identity(person_id=counsellor.id, channel="wechat", external_id="oCOUNSELLOR"))
    fetches = fake.token_fetches
    for n in range(3):
        await wechat.text(f"oS{n}", "我今晚就从楼顶跳下去", 5000 + n)
    await app.delivery.run_once()
    to_counsellor = [m for m in fake.sent if m["touser"] == "oCOUNSELLOR"]
    assert len(to_counsellor) == 3 and "收到 1" in to_counsellor[0]["text"]["content"]
    assert fake.token_fetches - fetches == 1  # fetched once, shared by every send
    pages = [m for m in (await wechat.client.get("/chat/api/inbox", params={"user": "demo-counsellor"})).json()[
        "messages"] if m["kind"] == "page"]
    assert len(pages) == 3  # bound on two channels: the page went to both

    fake.expire_tokens()  # 42001: fetch a new token and send again, once
    await wechat.text("oS9", "我今晚就从楼顶跳下去", 5009)
    await app.delivery.run_once()
    assert len([m for m in fake.sent if m["touser"] == "oCOUNSELLOR"]) == 4
    assert fake.token_fetches - fetches == 2

    fake.script.extend([45015])  # outside the 48-hour window: held, not retried
    await wechat.text("oS10", "我今晚就从楼顶跳下去", 5010)
    await app.delivery.run_once()
    async with app.sessions() as session:
        held = (await session.execute(select(OutboxMessage).where(
            OutboxMessage.channel == "wechat", OutboxMessage.state == "undeliverable"))).scalars().all()
    assert len(held) == 1 and held[0].last_error.startswith("window closed")

    fake.script.extend([502])  # a 5xx: retried later
    await wechat.text("oS11", "我今晚就从楼顶跳下去", 5011)
    await app.delivery.run_once()
    async with app.sessions() as session:
        retry = (await session.execute(select(OutboxMessage).where(
            OutboxMessage.channel == "wechat", OutboxMessage.state == "pending"))).scalars().all()
    assert len(retry) == 1 and retry[0].last_error == "HTTP 502"
    assert re.search(r"1\. 收到 \d+", to_counsellor[0]["text"]["content"])
