"""One app with every channel on (fakes of the platforms on loopback) and a client that talks as each.

Pushes are built as the platforms build them: WeChat in safe mode (signature, AES framing), WeCom
(always encrypted), Telegram's webhook with its secret header, the web chat's JSON. The XML of a
push is written with ElementTree (not the serializer under test), so any text reaches the app.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
from wechatpy.crypto import PrpCrypto

from bot.app import App
from bot.config import Settings
from bot.db.base import Base
from keywords import Triager
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.weixin_api import FakeWeixin

WX_TOKEN, WX_APP = "wx-callback-token", "wx-app"
WX_AES = base64.b64encode(hashlib.sha256(b"xinqiao-test").digest()).decode()[:43]
WC_TOKEN, WC_CORP, WC_AGENT = "wecom-token", "ww-corp", "1000002"
WC_AES = base64.b64encode(hashlib.sha256(b"xinqiao-wecom").digest()).decode()[:43]
TG_SECRET = "s3cret-webhook-token"
_nonces = itertools.count(1)
_TABLES = [t.name for t in Base.metadata.sorted_tables]
_COUNT_ALL = "SELECT " + ", ".join(f'(SELECT count(*) FROM "{name}")' for name in _TABLES)


def sha1(*parts: str) -> str:
    """The platforms' signature: sha1 of the sorted parts."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8", "surrogatepass")).hexdigest()


def push_xml(fields: dict[str, str | int]) -> bytes:
    """A callback body (<xml> with one element per field), characters as they are (lone surrogates too)."""
    root = ElementTree.Element("xml")
    for name, value in fields.items():
        ElementTree.SubElement(root, name).text = str(value)
    return ElementTree.tostring(root, encoding="unicode").encode("utf-8", "surrogatepass")


def message(source: str, text: str, msg_id: int, **extra: str | int) -> dict[str, str | int]:
    """The fields of a text message from source."""
    return {"ToUserName": "gh_xinqiao", "FromUserName": source, "CreateTime": int(time.time()), "MsgType": "text",
            "Content": text, "MsgId": msg_id, **extra}


def _encrypt(aes_key: str, own_id: str, plain: bytes) -> str:
    encrypted = PrpCrypto(base64.b64decode(aes_key + "=")).encrypt(plain, own_id)
    return encrypted.decode() if isinstance(encrypted, bytes) else encrypted


def open_reply(response: httpx.Response, aes_key: str, own_id: str) -> dict[str, str]:
    """The fields of an encrypted passive reply, decrypted and parsed by ElementTree (strict XML)."""
    assert response.status_code == 200, response.text
    envelope = {e.tag: e.text or "" for e in ElementTree.fromstring(response.content)}
    assert envelope["MsgSignature"] == sha1(WX_TOKEN if own_id == WX_APP else WC_TOKEN, envelope["TimeStamp"],
                                            envelope["Nonce"], envelope["Encrypt"])
    plain = PrpCrypto(base64.b64decode(aes_key + "=")).decrypt(envelope["Encrypt"], own_id)
    return {e.tag: e.text or "" for e in ElementTree.fromstring(plain.encode("utf-8"))}


class Everywhere:
    """Talks to one app as the web chat page, WeChat, WeCom and Telegram do."""

    def __init__(self, app: App, client: httpx.AsyncClient) -> None:
        self.app, self.client = app, client
        self._ids = itertools.count(1)

    async def settle(self, response: httpx.Response) -> httpx.Response:
        await self.app.settle()
        return response

    async def web(self, user: str, text: str, client_id: str | None = None) -> httpx.Response:
        body = {"user": user, "text": text, "client_id": client_id or f"c{next(self._ids)}"}
        return await self.settle(await self.client.post("/chat/api/messages", json=body))

    def wechat_params(self, *, timestamp: str | None = None, nonce: str | None = None) -> dict[str, str]:
        ts = str(int(time.time())) if timestamp is None else timestamp
        nonce = nonce or f"n{next(_nonces)}x{time.time_ns()}"
        return {"signature": sha1(WX_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "openid": "o"}

    async def wechat_raw(self, plain: bytes, *, encrypt: bool = True, **params: str) -> httpx.Response:
        """A signed push whose (decrypted) body is plain, exactly these bytes."""
        q = self.wechat_params()
        body = plain
        if encrypt:
            encrypted = _encrypt(WX_AES, WX_APP, plain)
            body = push_xml({"ToUserName": "gh_xinqiao", "Encrypt": encrypted})
            q |= {"encrypt_type": "aes", "msg_signature": sha1(WX_TOKEN, q["timestamp"], q["nonce"], encrypted)}
        return await self.settle(await self.client.post("/wechat", params=q | params, content=body))

    async def wechat(self, source: str, text: str, msg_id: int | None = None) -> httpx.Response:
        return await self.wechat_raw(push_xml(message(source, text, msg_id or next(self._ids))))

    def wechat_reply(self, response: httpx.Response) -> str:
        return open_reply(response, WX_AES, WX_APP)["Content"]

    async def wecom_raw(self, plain: bytes, **params: str) -> httpx.Response:
        ts, nonce = str(int(time.time())), f"n{next(_nonces)}x{time.time_ns()}"
        encrypted = _encrypt(WC_AES, WC_CORP, plain)
        body = push_xml({"ToUserName": WC_CORP, "Encrypt": encrypted, "AgentID": WC_AGENT})
        q = {"msg_signature": sha1(WC_TOKEN, ts, nonce, encrypted), "timestamp": ts, "nonce": nonce}
        return await self.settle(await self.client.post("/wecom", params=q | params, content=body))

    async def wecom(self, user: str, text: str, msg_id: int | None = None) -> httpx.Response:
        fields = message(user, text, msg_id or next(self._ids), AgentID=WC_AGENT) | {"ToUserName": WC_CORP}
        return await self.wecom_raw(push_xml(fields))

    def wecom_reply(self, response: httpx.Response) -> str:
        return open_reply(response, WC_AES, WC_CORP)["Content"]

    async def telegram_raw(self, body: bytes, secret: str | None = TG_SECRET) -> httpx.Response:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        response = await self.client.post("/telegram", content=body, headers=headers
                                          | {"content-type": "application/json"})
        return await self.settle(response)

    async def telegram(self, chat_id: int, text: str, update_id: int | None = None) -> httpx.Response:
        update = {"update_id": update_id or 10_000 + next(self._ids), "message": {
            "message_id": next(self._ids), "date": int(time.time()), "text": text,
            "chat": {"id": chat_id, "type": "private"}, "from": {"id": chat_id, "is_bot": False, "first_name": "u"}}}
        return await self.telegram_raw(json.dumps(update).encode())

    async def rows(self) -> dict[str, int]:
        """How many rows every table holds (one statement)."""
        async with self.app.engine.connect() as connection:
            row = (await connection.exec_driver_sql(_COUNT_ALL)).one()
        return dict(zip(_TABLES, row, strict=True))


@asynccontextmanager
async def everywhere(tmp_path: Path, db_url: str, triager: Triager, weixin: tuple[FakeWeixin, str],
                     telegram: tuple[FakeTelegram, str], **extra: Any) -> AsyncIterator[Everywhere]:
    """The demo school with every channel on, and a client for each."""
    wx, wx_base = weixin
    tg, tg_base = telegram
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url, secret_key="k",
                        wechat_token=WX_TOKEN, wechat_app_id=WX_APP, wechat_app_secret=wx.secret,
                        wechat_aes_key=WX_AES, wechat_api_base=wx_base,
                        wecom_corp_id=WC_CORP, wecom_agent_id=WC_AGENT, wecom_secret=wx.corp_secret,
                        wecom_token=WC_TOKEN, wecom_aes_key=WC_AES, wecom_api_base=wx_base,
                        telegram_token=tg.token, telegram_api_base=tg_base, telegram_mode="webhook",
                        telegram_webhook_secret=TG_SECRET, **extra)
    app = App(settings, triager=triager)
    await app.prepare(demo=True)
    app.checkins_on_tick = False
    await app.start_channels()
    transport = httpx.ASGITransport(app=app.asgi(clock=False))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
            yield Everywhere(app, client)
    finally:
        await app.close()
