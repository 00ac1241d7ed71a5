"""A fake of the WeChat Official Account and WeCom server APIs: tokens, text messages, parametrised QR codes.

It records every message it is sent, issues tokens that expire when told, and can be scripted to
answer the next calls with an error code (45015, 40001, …) or an HTTP 502. With `hold` set, WeCom
sends hang (counted in wecom_arrived) until it is cleared, then fail with a 502: a send in flight.
A send to an address in `slow_to` (either API) hangs for `hang_seconds` and then goes through: one
recipient whose calls hang.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route


@dataclass
class FakeWeixin:
    """State of the fake: what was sent, which tokens are valid, what to answer next."""

    app_id: str = "wx-app"
    secret: str = "wx-secret"
    corp_id: str = "ww-corp"
    corp_secret: str = "ww-secret"
    sent: list[dict[str, Any]] = field(default_factory=list)  # custom/send (Official Account)
    wecom_sent: list[dict[str, Any]] = field(default_factory=list)  # message/send (WeCom)
    token_fetches: int = 0
    valid: set[str] = field(default_factory=set)
    script: deque[int] = field(default_factory=deque)  # error codes for the next sends; 502 = HTTP 502
    hold: bool = False  # WeCom sends hang while set
    wecom_arrived: int = 0
    failing: str = ""  # while set, every send fails: "502" answers HTTP 502, "hang" answers after hang_seconds
    hang_seconds: float = 15.0
    qr_created: list[dict[str, Any]] = field(default_factory=list)  # qrcode/create requests (Official Account)
    slow_to: set[str] = field(default_factory=set)  # sends to these addresses wait hang_seconds first
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def expire_tokens(self) -> None:
        """Every token issued so far is now refused with 42001."""
        self.valid.clear()

    def _issue(self) -> JSONResponse:
        self.token_fetches += 1
        token = f"token-{next(self._ids)}"
        self.valid.add(token)
        return JSONResponse({"access_token": token, "expires_in": 7200})

    async def _answer(self, request: Request, record: list[dict[str, Any]], body: dict[str, Any]) -> JSONResponse:
        if body.get("touser") in self.slow_to:
            await asyncio.sleep(self.hang_seconds)
        if self.script:
            code = self.script.popleft()
            if code == 502:
                return JSONResponse({"error": "bad gateway"}, status_code=502)
            return JSONResponse({"errcode": code, "errmsg": "scripted"})
        if request.query_params.get("access_token") not in self.valid:
            return JSONResponse({"errcode": 42001, "errmsg": "access_token expired"})
        record.append(body)
        return JSONResponse({"errcode": 0, "errmsg": "ok"})

    def app(self) -> Starlette:
        async def token(request: Request) -> JSONResponse:
            q = request.query_params
            if q.get("appid") != self.app_id or q.get("secret") != self.secret:
                return JSONResponse({"errcode": 40125, "errmsg": "invalid appsecret"})
            return self._issue()

        async def gettoken(request: Request) -> JSONResponse:
            q = request.query_params
            if q.get("corpid") != self.corp_id or q.get("corpsecret") != self.corp_secret:
                return JSONResponse({"errcode": 40001, "errmsg": "invalid credential"})
            return self._issue()

        async def custom_send(request: Request) -> JSONResponse:
            if self.failing == "502":
                return JSONResponse({"error": "bad gateway"}, status_code=502)
            if self.failing == "hang":
                await asyncio.sleep(self.hang_seconds)
                return JSONResponse({"error": "gateway timeout"}, status_code=504)
            return await self._answer(request, self.sent, json.loads(await request.body()))

        async def message_send(request: Request) -> JSONResponse:
            self.wecom_arrived += 1
            if self.hold:
                while self.hold:
                    await asyncio.sleep(0.05)
                return JSONResponse({"error": "held"}, status_code=502)
            return await self._answer(request, self.wecom_sent, json.loads(await request.body()))

        async def qrcode_create(request: Request) -> JSONResponse:
            if request.query_params.get("access_token") not in self.valid:
                return JSONResponse({"errcode": 42001, "errmsg": "access_token expired"})
            body = json.loads(await request.body())
            scene = body.get("action_info", {}).get("scene", {}).get("scene_str", "")
            if body.get("action_name") != "QR_STR_SCENE" or not 1 <= len(scene) <= 64:
                return JSONResponse({"errcode": 40053, "errmsg": "invalid action info"})
            self.qr_created.append(body)
            n = len(self.qr_created)
            return JSONResponse({"ticket": f"gQ-fake-{n}", "expire_seconds": body.get("expire_seconds", 60),
                                 "url": f"http://weixin.qq.com/q/fake-{n}"})

        async def alive(_request: Request) -> PlainTextResponse:
            return PlainTextResponse("ok")

        return Starlette(routes=[
            Route("/cgi-bin/token", token), Route("/cgi-bin/gettoken", gettoken),
            Route("/cgi-bin/message/custom/send", custom_send, methods=["POST"]),
            Route("/cgi-bin/message/send", message_send, methods=["POST"]),
            Route("/cgi-bin/qrcode/create", qrcode_create, methods=["POST"]),
            Route("/__alive__", alive),
        ])
