"""The anonymity promise, tested as an attacker with a database backup and no server key would test it.

Anonymous notes on every channel (web chat, WeChat, Telegram, against the fakes), a bound member's note
too, counsellors' replies pushed back to each, answers, a closed case. Then every table and column is dumped:
no sender id, nothing computable from one without the key, and no time on a sender's row within a minute
of a note's, a case's or their events' (times hidden in Fernet tokens included).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest
import xmltodict
from sqlalchemy import select, text
from wechatpy.crypto import WeChatCrypto

from bot.app import App
from bot.config import Settings
from bot.db.models import AuditEntry, Identity, InviteCode, Person, Thread
from bot.db.models import Case as CaseRow
from keywords import Triager
from tests.bot.dump import Cell, derived, dump, times_in
from tests.fakes.serve import serving
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.weixin_api import FakeWeixin

WX_TOKEN, WX_APP = "dump-wx-token", "wx-dump"
WX_AES = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
TG_SECRET = "dump-webhook-secret"
ANON = {"web": "anon-web-7f3k2q", "wechat": "oANONwx9q2LmZ", "telegram": "884433221100"}
MEMBER = ("web", "demo-member")
CASE_SIDE = ("reports", "cases", "case_events", "threads", "thread_messages", "pages", "escalations")
_ids = itertools.count(1)


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[FakeWeixin, str, FakeTelegram, str]]:
    weixin, telegram = FakeWeixin(app_id=WX_APP), FakeTelegram()
    with serving(weixin.app()) as wx_base, serving(telegram.app()) as tg_base:
        yield weixin, wx_base, telegram, tg_base


class Senders:
    """Writes as a student would on each channel; returns what the bot answered, as one text."""

    def __init__(self, app: App, client: httpx.AsyncClient, telegram: FakeTelegram) -> None:
        self.app, self.client, self.telegram = app, client, telegram
        self.crypto = WeChatCrypto(WX_TOKEN, WX_AES, WX_APP)

    async def say(self, channel: str, address: str, words: str) -> str:
        n = next(_ids)
        if channel == "web":
            r = await self.client.post("/chat/api/messages", json={"user": address, "text": words,
                                                                   "client_id": f"c{n}"})
            assert r.status_code == 200, r.text
            answer = json.dumps(r.json(), ensure_ascii=False)
        elif channel == "wechat":
            answer = await self._wechat(address, words, n)
        else:
            before = len(self.telegram.sent)
            update_ = self.telegram.message_update(int(address), words)
            r = await self.client.post("/telegram", json=update_,
                                       headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET})
            assert r.status_code == 200
            await self.app.settle()
            await self.app.delivery.run_once()
            answer = json.dumps(self.telegram.sent[before:], ensure_ascii=False)
        await self.app.settle()
        return answer

    async def _wechat(self, openid: str, words: str, n: int) -> str:
        ts, nonce = str(int(time.time())), f"dump{n}x{time.time_ns()}"
        xml = (f"<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
               f"<CreateTime>{ts}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
               f"<Content><![CDATA[{words}]]></Content><MsgId>{9_000_000 + n}</MsgId></xml>")
        framed = xmltodict.parse(self.crypto.encrypt_message(xml, nonce, ts))["xml"]
        sig = hashlib.sha1("".join(sorted([WX_TOKEN, ts, nonce])).encode()).hexdigest()
        body = (f"<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[{framed['Encrypt']}]]>"
                f"</Encrypt></xml>")
        r = await self.client.post("/wechat", content=body, params={
            "signature": sig, "timestamp": ts, "nonce": nonce, "openid": openid, "encrypt_type": "aes",
            "msg_signature": framed["MsgSignature"]})
        assert r.status_code == 200, r.text
        if not r.text or r.text == "success":
            return ""
        out = xmltodict.parse(r.text)["xml"]
        return self.crypto.decrypt_message(r.text, out["MsgSignature"], out["TimeStamp"], out["Nonce"])


def _code(answer: str) -> str:
    m = re.search(r"查看 ([A-Z2-9]{8})", answer)
    assert m, answer
    return m.group(1)


async def _scenario(app: App, s: Senders) -> None:
    codes = []
    for channel, address in [*ANON.items(), MEMBER]:
        if (channel, address) != MEMBER:
            codes.append(_code(await s.say(channel, address, "我今晚就从楼顶跳下去，不想活了")))  # a red note
        await s.say(channel, address, "匿名心理信箱")
        filed = await s.say(channel, address, "和室友闹矛盾了，很难受，不想让别人知道")
        code = _code(filed)
        codes.append(code)
        await s.say(channel, address, "回复时通知我")
    for code in codes:
        await s.say("web", "demo-counsellor", f"回复 {code} 你好，我是陈老师，愿意多说说吗？")
    await app.tick()
    for channel, address in ANON.items():  # they read the replies and answer in their threads
        for code in codes:
            answer = await s.say(channel, address, f"查看 {code}")
            if "陈老师" in answer and "愿意多说说" in answer:
                await s.say(channel, address, "谢谢老师，我好一些了")
                break
    async with app.sessions() as session:
        closing = (await session.execute(select(Thread.case_id).where(Thread.code == codes[1]))).scalar_one()
    await s.say("web", "demo-counsellor", f"结案 {closing} resolved 已谈话")
    await app.tick()


async def test_a_backup_without_the_key_links_no_sender_to_a_note(tmp_path, db_url, triager: Triager, fakes) -> None:
    weixin, wx_base, telegram, tg_base = fakes
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url, secret_key="dump-test-server-key",
                        webchat="demo", wechat_token=WX_TOKEN, wechat_app_id=WX_APP, wechat_app_secret=weixin.secret,
                        wechat_aes_key=WX_AES, wechat_api_base=wx_base, telegram_token=telegram.token,
                        telegram_api_base=tg_base, telegram_mode="webhook", telegram_webhook_secret=TG_SECRET)
    app = App(settings, triager=triager)
    try:
        await app.prepare(demo=True)
        app.checkins_on_tick = False
        await app.start_channels()
        async with app.sessions() as session, session.begin():  # the school was set up a day ago
            day = timedelta(days=1)
            for model, column in ((Person, "created_at"), (Identity, "created_at"), (InviteCode, "created_at"),
                                  (AuditEntry, "at")):
                for row in (await session.execute(select(model))).scalars():
                    setattr(row, column, getattr(row, column) - day)
        transport = httpx.ASGITransport(app=app.asgi(clock=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
            await _scenario(app, Senders(app, client, telegram))
        assert any(m.get("chat_id") == int(ANON["telegram"]) and "陈老师" in m["text"] for m in telegram.sent)
        assert any(m.get("touser") == ANON["wechat"] and "陈老师" in json.dumps(m, ensure_ascii=False)
                   for m in weixin.sent)
        cells = await dump(app.engine)
        async with app.sessions() as session:
            member_id = (await session.execute(select(Identity.person_id).where(
                Identity.external_id == MEMBER[1]))).scalar_one()
            notes = (await session.execute(select(CaseRow.id).where(CaseRow.source == "mailbox"))).scalars().all()
            # a red note on each of three channels (the ordinary note written minutes later joins its thread:
            # nothing a student writes in a note's context is dropped), and the member's note
            assert len(notes) == 4
            assert (await session.execute(text("SELECT count(*) FROM webchat_messages WHERE thread_id IS NOT NULL"))
                    ).scalar_one() >= 1  # the web sender's replies are there to be looked at
    finally:
        await app.close()
    _no_sender_id(cells)
    _no_time_join(cells, member_id)


def _no_sender_id(cells: list[Cell]) -> None:
    for channel, address in ANON.items():
        needles = derived(channel, address)
        hits = [(c.table, c.column) for c in cells for n in needles if n in c.text]
        assert not hits, (address, hits[:5])
    member_needles = derived(*MEMBER)
    hits = {(c.table, c.column) for c in cells for n in member_needles if n in c.text}
    assert hits <= {("identities", "external_id")}, hits  # the member's binding, and nowhere else


def _sender_rows(cells: list[Cell], member_id: int) -> list[Cell]:
    """Rows that belong to a sender: their conversation, message records, rate counts, web inbox replies,
    and everything naming the bound member who wrote a note."""
    def theirs(c: Cell) -> bool:
        if c.table in ("conversations", "inbound_records", "rate_counters"):
            return True
        if c.table == "webchat_messages":
            return c.row.get("thread_id") is not None
        if c.table == "identities" or c.table == "outbox":
            return c.row.get("person_id") == member_id
        if c.table == "audit_entries":
            return c.row.get("actor") == f"person:{member_id}"
        return False
    return [c for c in cells if theirs(c)]


def _no_time_join(cells: list[Cell], member_id: int) -> None:
    case_times = sorted(t for c in cells if c.table in CASE_SIDE for t in times_in(c.row[c.column]))
    assert len(case_times) > 20
    near: list[tuple[str, str, datetime]] = []
    for c in _sender_rows(cells, member_id):
        for moment in times_in(c.row[c.column]):
            if any(abs((moment - t).total_seconds()) < 60 for t in case_times):
                near.append((c.table, c.column, moment))
    assert not near, near[:5]
