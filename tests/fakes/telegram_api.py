"""A fake Telegram Bot API server: /bot<token>/<method> as the official server answers it.

Updates queued with `push_update` are served by getUpdates (long polling, briefly); sendMessage
and answerCallbackQuery are recorded; `script` makes the next sendMessage calls answer 429.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route


@dataclass
class FakeTelegram:
    """State: the token it accepts, the updates waiting, what the bot sent."""

    token: str = "123456:TEST-TOKEN"
    updates: list[dict[str, Any]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    script: deque[int] = field(default_factory=deque)  # retry_after seconds for the next sendMessage calls
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _update_ids: Any = field(default_factory=lambda: itertools.count(1000))

    def message_update(self, chat_id: int, text: str, update_id: int | None = None) -> dict[str, Any]:
        """An update carrying a private text message."""
        return {"update_id": update_id or next(self._update_ids), "message": {
            "message_id": next(self._ids), "date": int(time.time()), "text": text,
            "chat": {"id": chat_id, "type": "private"}, "from": {"id": chat_id, "is_bot": False, "first_name": "u"}}}

    def button_update(self, chat_id: int, data: str) -> dict[str, Any]:
        """An update carrying a press of an inline keyboard button."""
        return {"update_id": next(self._update_ids), "callback_query": {
            "id": f"cq{next(self._ids)}", "chat_instance": "ci", "data": data,
            "from": {"id": chat_id, "is_bot": False, "first_name": "u"},
            "message": {"message_id": next(self._ids), "date": int(time.time()), "text": "…",
                        "chat": {"id": chat_id, "type": "private"}}}}

    def app(self) -> Starlette:
        async def method(request: Request) -> JSONResponse:
            if request.path_params["token"] != self.token:
                return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401)
            name = request.path_params["method"]
            self.calls.append(name)
            raw = await request.body()
            if request.headers.get("content-type", "").startswith("application/json"):
                params = json.loads(raw or b"{}")
            else:  # application/x-www-form-urlencoded, as python-telegram-bot sends it
                params = dict(parse_qsl(raw.decode("utf-8")))
            return await self._answer(name, params)

        async def alive(_request: Request) -> PlainTextResponse:
            return PlainTextResponse("ok")

        return Starlette(routes=[Route("/bot{token}/{method}", method, methods=["GET", "POST"]),
                                 Route("/__alive__", alive)])

    async def _answer(self, name: str, params: dict[str, Any]) -> JSONResponse:
        def ok(result: Any) -> JSONResponse:
            return JSONResponse({"ok": True, "result": result})

        if name == "getMe":
            return ok({"id": 123456, "is_bot": True, "first_name": "心桥", "username": "xinqiao_bot"})
        if name in ("deleteWebhook", "setWebhook"):
            return ok(True)
        if name == "getUpdates":
            offset = int(params.get("offset") or 0)
            deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
            while True:
                ready = [u for u in self.updates if u["update_id"] >= offset]
                if ready or time.monotonic() >= deadline:
                    return ok(ready)
                await asyncio.sleep(0.05)
        if name == "answerCallbackQuery":
            self.answered.append(str(params.get("callback_query_id")))
            return ok(True)
        if name == "sendMessage":
            if self.script:
                wait = self.script.popleft()
                return JSONResponse({"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after "
                                     f"{wait}", "parameters": {"retry_after": wait}}, status_code=429)
            markup = params.get("reply_markup")
            record = {"chat_id": int(params["chat_id"]), "text": params["text"],
                      "reply_markup": json.loads(markup) if isinstance(markup, str) else markup}
            self.sent.append(record)
            return ok({"message_id": next(self._ids), "date": int(time.time()), "text": params["text"],
                       "chat": {"id": int(params["chat_id"]), "type": "private"}})
        return JSONResponse({"ok": False, "error_code": 404, "description": "Not Found"}, status_code=404)
