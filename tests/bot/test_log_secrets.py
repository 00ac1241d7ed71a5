"""Nothing secret in any log line at any level: every channel configured against the fakes, tokens fetched,
refreshed and used, messages sent, the captured log searched for each configured secret."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import re
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from bot.app import App
from bot.config import Settings
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.models import Identity, Person
from bot.redact import RedactSecrets
from keywords import Triager
from tests.fakes.serve import serving
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.weixin_api import FakeWeixin
from tests.server import Server, server_env

WX_SECRET, WECOM_SECRET = "wx-app-secret-7Qz9", "wecom-corp-secret-4Kp2"
TG_TOKEN = "7654321:AAH-telegram-bot-token_xyz"
WEBHOOK_SECRET = "tg-webhook-secret-9Lm3"
WX_TOKEN, WECOM_TOKEN = "wx-callback-token-1Ab", "wecom-callback-token-2Cd"
WX_AES = base64.b64encode(hashlib.sha256(b"log-wx").digest()).decode()[:43]
WECOM_AES = base64.b64encode(hashlib.sha256(b"log-wecom").digest()).decode()[:43]
SERVER_KEY = "server-key-for-the-log-test-5Rt"


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[FakeWeixin, str, FakeTelegram, str]]:
    weixin = FakeWeixin(app_id="wx-log", secret=WX_SECRET, corp_id="ww-log", corp_secret=WECOM_SECRET)
    telegram = FakeTelegram(token=TG_TOKEN)
    with serving(weixin.app()) as wx_base, serving(telegram.app()) as tg_base:
        yield weixin, wx_base, telegram, tg_base


async def test_no_configured_secret_in_any_log_line(tmp_path, db_url, triager: Triager, fakes, caplog) -> None:
    weixin, wx_base, telegram, tg_base = fakes
    caplog.set_level(logging.DEBUG)
    settings = Settings(
        data_dir=tmp_path / "data", database_url=db_url, secret_key=SERVER_KEY, webchat="demo",
        wechat_token=WX_TOKEN, wechat_app_id="wx-log", wechat_app_secret=WX_SECRET, wechat_aes_key=WX_AES,
        wechat_api_base=wx_base, wecom_corp_id="ww-log", wecom_agent_id="1000002", wecom_secret=WECOM_SECRET,
        wecom_token=WECOM_TOKEN, wecom_aes_key=WECOM_AES, wecom_api_base=wx_base, telegram_token=TG_TOKEN,
        telegram_api_base=tg_base, telegram_mode="webhook", telegram_webhook_secret=WEBHOOK_SECRET)
    app = App(settings, triager=triager)
    try:
        await app.prepare(demo=True)
        app.checkins_on_tick = False
        await app.start_channels()
        async with app.sessions() as session, session.begin():
            chen = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
            session.add_all([Identity(person_id=chen.id, channel="wechat", external_id="o-chen"),
                             Identity(person_id=chen.id, channel="wecom", external_id="chen"),
                             Identity(person_id=chen.id, channel="telegram", external_id="5550001")])
        transport = httpx.ASGITransport(app=app.asgi(clock=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
            body = {"user": "log-student", "text": "我今晚就从楼顶跳下去", "client_id": "c1"}
            assert (await client.post("/chat/api/messages", json=body)).status_code == 200
            await app.settle()
            await app.tick()  # pages on WeChat, WeCom and Telegram: token fetches, then sends
            weixin.expire_tokens()  # the next sends are refused with 42001: tokens fetched again
            update = telegram.message_update(5550001, "待处理")
            response = await client.post("/telegram", json=update,
                                         headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})
            assert response.status_code == 200
            await app.settle()
            body = {"user": "log-student-2", "text": "我不想活了，药已经准备好了", "client_id": "c2"}
            assert (await client.post("/chat/api/messages", json=body)).status_code == 200
            await app.settle()
            await app.tick()
    finally:
        await app.close()
    assert len(weixin.sent) >= 2 and len(weixin.wecom_sent) >= 2 and len(telegram.sent) >= 3
    assert weixin.token_fetches >= 4  # both platforms, before and after the expiry
    text = caplog.text
    assert "HTTP Request" in text  # httpx's request lines were captured (and are the ones that carried secrets)
    for secret in (WX_SECRET, WECOM_SECRET, TG_TOKEN, TG_TOKEN.split(":")[1], WEBHOOK_SECRET, WX_TOKEN,
                   WECOM_TOKEN, WX_AES, WECOM_AES, SERVER_KEY):
        assert secret not in text, secret
    assert not re.search(r"access_token=(?!\[redacted\])", text)
    assert not re.search(r"(?:corp)?secret=(?!\[redacted\])", text)


def test_the_filter_redacts_urls_arguments_and_tracebacks() -> None:
    f = RedactSecrets()
    f.add(["configured-secret-1", "short"])
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, 'HTTP Request: %s %s "%s"', (
        "GET", httpx.URL("https://api.example/cgi-bin/token?appid=a&secret=s3&x=1"), "HTTP/1.1 200 OK"), None)
    f.filter(record)
    assert record.getMessage() == 'HTTP Request: GET https://api.example/cgi-bin/token?appid=a&secret=[redacted]&x=1 ' \
                                  '"HTTP/1.1 200 OK"'
    record = logging.LogRecord("x", logging.DEBUG, __file__, 1, "POST /bot123:AbC-d_e/sendMessage?access_token=t1 %s",
                               ("configured-secret-1",), None)
    f.filter(record)
    assert record.getMessage() == "POST /bot[redacted]/sendMessage?access_token=[redacted] [redacted]"
    try:
        raise RuntimeError("gettoken?corpid=c&corpsecret=cs9 failed for configured-secret-1")
    except RuntimeError:
        import sys
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    f.filter(record)
    assert "cs9" not in record.exc_text and "configured-secret-1" not in record.exc_text
    assert "corpsecret=[redacted]" in record.exc_text
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "short words stay", None, None)
    f.filter(record)
    assert record.getMessage() == "short words stay"  # a value under 8 characters is not treated as a secret


async def _bind_everywhere(db_url: str) -> None:
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    async with sessions() as session, session.begin():
        chen = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
        session.add_all([Identity(person_id=chen.id, channel="wechat", external_id="o-chen"),
                         Identity(person_id=chen.id, channel="wecom", external_id="chen"),
                         Identity(person_id=chen.id, channel="telegram", external_id="5550001")])
    await engine.dispose()


def test_a_served_log_holds_no_secret(tmp_path, db_url, fakes) -> None:
    """The same, through `xinqiao serve` in its own process, its whole output captured."""
    weixin, wx_base, telegram, tg_base = fakes
    env = server_env(tmp_path / "data", db_url, XINQIAO_WECHAT_TOKEN=WX_TOKEN, XINQIAO_WECHAT_APP_ID="wx-log",
                     XINQIAO_WECHAT_APP_SECRET=WX_SECRET, XINQIAO_WECHAT_AES_KEY=WX_AES,
                     XINQIAO_WECHAT_API_BASE=wx_base,
                     XINQIAO_WECOM_CORP_ID="ww-log", XINQIAO_WECOM_AGENT_ID="1000002",
                     XINQIAO_WECOM_SECRET=WECOM_SECRET, XINQIAO_WECOM_TOKEN=WECOM_TOKEN,
                     XINQIAO_WECOM_AES_KEY=WECOM_AES, XINQIAO_WECOM_API_BASE=wx_base, XINQIAO_TELEGRAM_TOKEN=TG_TOKEN,
                     XINQIAO_TELEGRAM_API_BASE=tg_base, XINQIAO_TELEGRAM_MODE="polling")
    env["XINQIAO_SECRET_KEY"] = SERVER_KEY
    weixin.sent.clear(), weixin.wecom_sent.clear(), telegram.sent.clear()
    server = Server(env)
    try:
        server.wait_up()
        asyncio.run(_bind_everywhere(db_url))
        for n, note in enumerate(("我今晚就从楼顶跳下去", "我不想活了，药已经准备好了")):
            server.say(f"served-student-{n}", note, f"c{n}")
            deadline = time.monotonic() + 20
            while not (len(weixin.sent) > n and len(weixin.wecom_sent) > n and len(telegram.sent) > n):
                assert time.monotonic() < deadline, (weixin.sent, weixin.wecom_sent, telegram.sent)
                time.sleep(0.2)
            weixin.expire_tokens()  # the next sends are refused with 42001: tokens fetched again
        telegram.updates.append(telegram.message_update(5550001, "待处理"))  # fetched by polling (getUpdates)
        deadline = time.monotonic() + 20
        while not any(m.get("chat_id") == 5550001 and "待处理案例" in m.get("text", "") for m in telegram.sent):
            assert time.monotonic() < deadline, telegram.sent
            time.sleep(0.2)
    finally:
        server.stop()
    log = server.log.read_text(encoding="utf-8", errors="replace")
    assert "HTTP Request" in log and weixin.token_fetches >= 4
    for secret in (WX_SECRET, WECOM_SECRET, TG_TOKEN, TG_TOKEN.split(":")[1], WX_TOKEN, WECOM_TOKEN, WX_AES,
                   WECOM_AES, SERVER_KEY):
        assert secret not in log, secret
    assert not re.search(r"(?:access_token|secret)=(?!\[redacted\])", log)
