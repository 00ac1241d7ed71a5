"""Fuzzing every HTTP endpoint with hypothesis (issue 12, Proof): the web chat API, /wechat, /wecom and
/telegram, with requests signed as the platforms sign them and with unsigned garbage.

For every request: never a 5xx; a refused request (4xx) writes nothing (every table counted before and
after); a red or orange text from a new sender that is accepted is filed (a new case). One app per
test serves all the examples (its database grows as they run, so later examples meet earlier state).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wechatpy.crypto import PrpCrypto

from bot.router import _CONTROL
from bot.safe_input import clean_text
from tests.channels import WC_AES, WC_CORP, WC_TOKEN, WX_AES, WX_APP, WX_TOKEN, Everywhere, everywhere, push_xml, sha1

# Examples per test on SQLite; PostgreSQL (in CI beside SQLite) runs a third as many.
# 4,000 on SQLite take about 40 s of CPU here (50 s of wall time when this shared 2-core machine is quiet).
EXAMPLES = {"messages": 700, "inbox": 600, "wechat": 700, "wechat_get": 500, "wecom": 600, "wecom_get": 400,
            "telegram": 500}
RED = ["我今晚就从楼顶跳下去", "药已经攒够了，今晚全吃了", "我刚刚割腕了，流了好多血", "室友说等熄灯以后就从六楼跳下去",
       "我已经写好了给爸妈的信，明天你们就见不到我了", "我不想活了，今晚就从楼上跳下去"]
SCALE = float(os.environ.get("XINQIAO_FUZZ_SCALE", "1"))  # e.g. 10 for a long soak, 0.1 while editing
_fresh = itertools.count(1)

# Characters of every kind, lone surrogates and controls included; and the strings that broke things before.
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
NASTY = st.sampled_from(["²", "①", "٣", "３", "1" * 4301, "9" * 25, "0", "-1", "\udfff", "\ud83d", "]]>", "\x00",
                         "\x0b", "\ufffe", "&#xDFFF;", "<![CDATA[", "\n", "\r\n", " ", "", "菜单", "取消",
                         "匿名心理信箱",
                         "绑定心理委员", "报告同学情况", "待处理", "查看 ABCDEFGH", "绑定 ABCD2345", "收到 1", "收到",
                         "结案 1 resolved", "回复 ABCDEFGH 你好", "记录 1 已联系", "跟进 1 明天", "开玩笑的", "无异常",
                         "参加", "请假", "完成", "1 3", "回复时通知我"])
TEXT = st.one_of(st.text(ANY_CHAR, max_size=40), NASTY, st.lists(NASTY, max_size=4).map("".join),
                 st.text(ANY_CHAR, min_size=2000, max_size=2100))
NOISE = st.lists(st.one_of(NASTY, st.text(ANY_CHAR, max_size=3)), max_size=2).map("".join)
RED_TEXT = st.tuples(NOISE, st.sampled_from(RED), NOISE).map(lambda p: f"{p[0]}。{p[1]}。{p[2]}")
MAYBE_RED = st.one_of(st.none(), st.none(), st.none(), st.none(), st.none(), st.none(), RED_TEXT)  # about one in 7
# what arbitrary JSON looks like (deep nesting included: bodies nested a thousand deep are built below)
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(ANY_CHAR,
                    max_size=10), lambda kids: st.lists(kids, max_size=3) | st.dictionaries(
                    st.text(max_size=8), kids, max_size=3), max_leaves=10)
INT_ISH = st.one_of(st.integers(), st.integers(min_value=0, max_value=2**31), st.just(2**64), st.sampled_from(
    ["1", "²", "1" * 30, "", "x", "-5", "1.5", "٣"]))


class Fuzz:
    """An Everywhere on an event loop of its own, so hypothesis can drive it from a plain function."""

    def __init__(self, every: Everywhere, loop: asyncio.AbstractEventLoop, scale: float) -> None:
        self.every, self.loop, self.scale = every, loop, scale
        self.urgent = self.red = 0
        self._rows: dict[str, int] | None = None
        self._last: Any = None
        self.triage = every.app.triager.triage

    def run(self, coro: Awaitable[Any]) -> Any:
        return self.loop.run_until_complete(coro)

    def examples(self, name: str) -> settings:
        return settings(max_examples=max(30, int(EXAMPLES[name] * self.scale)), deadline=None, database=None,
                        suppress_health_check=list(HealthCheck))

    def check(self, send: Callable[[], Awaitable[httpx.Response]], *, red: str | None = None) -> httpx.Response:
        """Send; no 5xx; a refusal writes nothing; an accepted red text from a new sender opens a case."""
        async def go() -> httpx.Response:
            before = self._rows if self._rows is not None else await self.every.rows()
            response = await send()
            await self.every.app.settle()  # the deliveries the request started
            after = self._rows = await self.every.rows()  # nothing else writes between examples
            assert response.status_code < 500, response.text
            if response.status_code >= 400:
                assert after == before, (response.status_code, response.text, self._last,
                                         {k: (before[k], after[k]) for k in after if after[k] != before[k]})
            self._last = (response.request.url, response.request.content[:300], response.status_code,
                          response.text[:300])
            if red is not None and self.triage(_CONTROL.sub("", clean_text(red))).urgent:
                self.urgent += 1
                assert response.status_code == 200, response.text
                assert after["cases"] == before["cases"] + 1 and after["reports"] == before["reports"] + 1
            return response
        if red is not None:
            self.red += 1
        return self.run(go())


@pytest.fixture
def fuzz(tmp_path, db_url, triager, platform_fakes) -> Iterator[Fuzz]:
    weixin, telegram = platform_fakes
    loop = asyncio.new_event_loop()
    context = everywhere(tmp_path, db_url, triager, weixin, telegram)
    every = loop.run_until_complete(context.__aenter__())
    try:
        yield Fuzz(every, loop, SCALE * (0.3 if db_url.startswith("postgresql") else 1.0))
    finally:
        loop.run_until_complete(context.__aexit__(None, None, None))
        loop.close()


def fresh(prefix: str) -> str:
    return f"{prefix}{next(_fresh)}x{time.time_ns() % 10**6}"


def _red_share(fuzz: Fuzz) -> None:
    """The red branch must really have run red texts (not have been filtered into nothing)."""
    assert fuzz.red == 0 or fuzz.urgent >= fuzz.red * 0.5, (fuzz.urgent, fuzz.red)


# ---- the web chat API ---------------------------------------------------------------------------------

USER = st.one_of(st.sampled_from(["demo-member", "demo-counsellor", "demo-leader", "s1", "s2", "alice\n", "", "a b",
                                  "x" * 65]), st.text(ANY_CHAR, max_size=8))
WEB_BODY = st.one_of(
    st.fixed_dictionaries({"user": USER, "text": TEXT, "client_id": st.one_of(st.text(ANY_CHAR, max_size=6),
                                                                               st.integers(), st.just("c1"))},
                          optional={"x": JSON}).map(lambda d: json.dumps(d).encode()),
    JSON.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=64),
    st.integers(min_value=30, max_value=1500).map(lambda n: b'{"user": "s1", "x": ' + b"[" * n + b"]" * n + b"}"),
)


def test_fuzz_web_chat_messages(fuzz: Fuzz) -> None:
    @fuzz.examples("messages")
    @given(body=WEB_BODY, red=MAYBE_RED)
    def run(body: bytes, red: str | None) -> None:
        if red is not None:  # a new sender's crisis, with nasty characters around it
            body = json.dumps({"user": fresh("fz"), "text": red, "client_id": "c1"}).encode()
        fuzz.check(lambda: fuzz.every.client.post("/chat/api/messages", content=body,
                                                  headers={"content-type": "application/json"}), red=red)
    run()
    _red_share(fuzz)


def test_fuzz_web_chat_inbox(fuzz: Fuzz) -> None:
    @fuzz.examples("inbox")
    @given(user=USER, after=st.one_of(INT_ISH.map(str), st.text(ANY_CHAR, max_size=6)), extra=st.booleans())
    def run(user: str, after: str, extra: bool) -> None:
        query = f"user={quote(user, errors='surrogatepass')}&after={quote(after, errors='surrogatepass')}"
        if extra:
            query += "&after=1&user=demo-member"
        fuzz.check(lambda: fuzz.every.client.get("/chat/api/inbox?" + query))
    run()


# ---- WeChat and WeCom ---------------------------------------------------------------------------------

SOURCE = st.one_of(st.sampled_from(["oA", "oB", "chen", "oA\n", "", " ", "o" * 200]), st.text(ANY_CHAR, max_size=6))
FIELDS = st.fixed_dictionaries({}, optional={
    "ToUserName": st.sampled_from(["gh_xinqiao", WC_CORP, ""]), "FromUserName": SOURCE,
    "CreateTime": INT_ISH, "MsgType": st.sampled_from(["text", "event", "image", "voice", "location", "link", "TEXT",
                                                       "file", "", "x" * 40]),
    "Content": TEXT, "MsgId": INT_ISH, "Event": st.sampled_from(["subscribe", "unsubscribe", "CLICK", "VIEW",
                                                                 "enter_agent", "", "x"]),
    "EventKey": TEXT, "AgentID": INT_ISH, "PicUrl": st.text(max_size=5)})
PLAIN = st.one_of(FIELDS.map(push_xml), st.binary(max_size=80),
                  st.sampled_from([b"", b"<xml/>", b"<xml>", b"<a><xml/></a>", b'<!DOCTYPE x [<!ENTITY e "x">]><xml/>',
                                   b"<xml><FromUserName><b>oA</b></FromUserName></xml>"]))


def _encrypt(aes_key: str, own_id: str, plain: bytes) -> str:
    encrypted = PrpCrypto(base64.b64decode(aes_key + "=")).encrypt(plain, own_id)
    return encrypted.decode() if isinstance(encrypted, bytes) else encrypted


def _red_push(source: str, text: str, agent: bool) -> bytes:
    fields: dict[str, str | int] = {"ToUserName": WC_CORP if agent else "gh_xinqiao", "FromUserName": source,
                                    "CreateTime": int(time.time()), "MsgType": "text", "Content": text,
                                    "MsgId": next(_fresh)}
    if agent:
        fields["AgentID"] = 1000002
    return push_xml(fields)


HOW = st.sampled_from(["signed", "signed", "signed", "plaintext", "bad-envelope", "unsigned", "stale", "replay"])


def _weixin_post(fuzz: Fuzz, channel: str, how: str, plain: bytes, junk: bytes) -> Callable[[], Awaitable[Any]]:
    token, aes, own = (WX_TOKEN, WX_AES, WX_APP) if channel == "wechat" else (WC_TOKEN, WC_AES, WC_CORP)
    now = int(time.time())
    ts = str(now - 400) if how == "stale" else str(now)
    nonce = "same-nonce" if how == "replay" else fresh("n")
    encrypted = _encrypt(aes, own, plain)
    body = push_xml({"ToUserName": own, "Encrypt": encrypted})
    q = {"timestamp": ts, "nonce": nonce, "msg_signature": sha1(token, ts, nonce, encrypted)}
    if channel == "wechat":
        q |= {"signature": sha1(token, ts, nonce), "encrypt_type": "aes", "openid": "o"}
    if how == "plaintext":
        body = plain
        q.pop("encrypt_type", None)
    elif how == "bad-envelope":
        body = junk if junk else push_xml({"Encrypt": base64.b64encode(junk + b"x" * 40).decode()})
        q["msg_signature"] = sha1(token, ts, nonce, body.decode("latin-1"))
    elif how == "unsigned":
        q = {"signature": junk.hex()[:40], "msg_signature": "0" * 40, "timestamp": ts, "nonce": nonce}
        body = junk
    return lambda: fuzz.every.client.post(f"/{channel}", params=q, content=body)


@pytest.mark.parametrize("channel", ["wechat", "wecom"])
def test_fuzz_weixin_pushes(fuzz: Fuzz, channel: str) -> None:
    @fuzz.examples(channel)
    @given(how=HOW, plain=PLAIN, junk=st.binary(max_size=48), red=MAYBE_RED)
    def run(how: str, plain: bytes, junk: bytes, red: str | None) -> None:
        if red is not None:
            how, plain = "signed", _red_push(fresh("o"), red, channel == "wecom")
        fuzz.check(_weixin_post(fuzz, channel, how, plain, junk), red=red)
    run()
    _red_share(fuzz)


@pytest.mark.parametrize("channel", ["wechat", "wecom"])
def test_fuzz_weixin_url_checks(fuzz: Fuzz, channel: str) -> None:
    token, aes, own = (WX_TOKEN, WX_AES, WX_APP) if channel == "wechat" else (WC_TOKEN, WC_AES, WC_CORP)

    @fuzz.examples(f"{channel}_get")
    @given(signed=st.booleans(), echo=st.one_of(st.text(ANY_CHAR, max_size=10), st.binary(max_size=20).map(
        lambda b: base64.b64encode(b).decode())), ts=st.one_of(st.just(""), INT_ISH.map(str)), fresh_ts=st.booleans())
    def run(signed: bool, echo: str, ts: str, fresh_ts: bool) -> None:
        ts = str(int(time.time())) if fresh_ts else ts
        nonce = fresh("n")
        if channel == "wecom" and signed:
            echo = _encrypt(aes, own, echo.encode("utf-8", "surrogatepass"))
        signature = sha1(token, ts, nonce) if channel == "wechat" else sha1(token, ts, nonce, echo)
        q = {"signature" if channel == "wechat" else "msg_signature": signature if signed else "0" * 40,
             "timestamp": ts, "nonce": nonce, "echostr": echo}
        query = "&".join(f"{k}={quote(v, errors='surrogatepass')}" for k, v in q.items())
        fuzz.check(lambda: fuzz.every.client.get(f"/{channel}?{query}"))
    run()


# ---- Telegram -----------------------------------------------------------------------------------------

CHAT = st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.sampled_from([42, 43, "42", None, 1.5, True]))
MESSAGE = st.fixed_dictionaries({}, optional={
    "message_id": INT_ISH, "date": INT_ISH, "text": st.one_of(TEXT, st.integers(), st.none()),
    "chat": st.one_of(st.fixed_dictionaries({"id": CHAT, "type": st.sampled_from(["private", "group", 5])}),
                      JSON),
    "from": st.fixed_dictionaries({"id": CHAT, "is_bot": st.booleans(), "first_name": st.text(max_size=3)}),
    "photo": JSON})
UPDATE = st.fixed_dictionaries({"update_id": st.one_of(st.integers(min_value=0, max_value=2**40), INT_ISH)},
                               optional={"message": st.one_of(MESSAGE, JSON), "edited_message": MESSAGE,
                                         "callback_query": st.one_of(JSON, st.fixed_dictionaries({
                                             "id": st.text(max_size=4), "chat_instance": st.just("c"),
                                             "data": st.one_of(TEXT, st.integers()), "message": MESSAGE,
                                             "from": st.just({"id": 1, "is_bot": False, "first_name": "u"})}))})
TG_BODY = st.one_of(UPDATE.map(lambda u: json.dumps(u).encode()), JSON.map(lambda v: json.dumps(v).encode()),
                    st.binary(max_size=64), st.integers(min_value=30, max_value=1500).map(
                        lambda n: b'{"update_id": 1, "message": ' + b"[" * n + b"]" * n + b"}"))


def test_fuzz_telegram_webhook(fuzz: Fuzz) -> None:
    @fuzz.examples("telegram")
    @given(body=TG_BODY, secret=st.sampled_from(["right", "right", "right", "wrong", "none"]),
           red=MAYBE_RED)
    def run(body: bytes, secret: str, red: str | None) -> None:
        if red is not None:
            chat = 10**9 + next(_fresh)
            secret, body = "right", json.dumps({"update_id": 10**9 + next(_fresh), "message": {
                "message_id": 1, "date": int(time.time()), "text": red, "chat": {"id": chat, "type": "private"},
                "from": {"id": chat, "is_bot": False, "first_name": "u"}}}).encode()
        given_secret = {"right": "s3cret-webhook-token", "wrong": "nope", "none": None}[secret]
        fuzz.check(lambda: fuzz.every.telegram_raw(body, secret=given_secret), red=red)
    run()
    _red_share(fuzz)
