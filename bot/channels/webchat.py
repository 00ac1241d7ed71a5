"""The local web chat: a page at /chat and a JSON API; pushed messages wait in a per-user inbox."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bot.channels.base import Delivery, Push
from bot.db.engine import unavailable
from bot.db.models import WebChatMessage
from bot.events import Inbound
from bot.router import Router

CHANNEL = "web"
MAX_TEXT = 20_000
_USER = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
_CLIENT_ID = re.compile(r"^[\x21-\x7e]{1,128}$")
BAD_USER = "user must be 1-64 letters, digits or _ . @ -"
PAGE = Path(__file__).resolve().parent.parent / "static" / "chat.html"


class WebChatChannel:
    """Delivers pushes into the web chat inbox table."""

    name = CHANNEL

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def write(self, session: AsyncSession, push: Push) -> Delivery:
        """Store the message in the user's inbox, in the caller's transaction."""
        session.add(WebChatMessage(user_id=push.address, kind=push.kind, text=push.text,
                                   options=list(push.options), case_id=push.case_id))
        return Delivery(ok=True)

    async def send(self, push: Push) -> Delivery:
        """Store the message in the user's inbox, in a transaction of its own."""
        async with self._sessions() as session, session.begin():
            return await self.write(session, push)


def _bad(reason: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": reason}, status_code=status)


def routes(router: Router, sessions: async_sessionmaker[AsyncSession]) -> list[Route]:
    """The chat page and its API."""

    async def page(_request: Request) -> Response:
        return HTMLResponse(PAGE.read_text(encoding="utf-8"))

    async def post_message(request: Request) -> Response:
        raw = await request.body()
        if len(raw) > MAX_TEXT * 4 + 4096:
            return _bad("request body too large", 413)
        try:
            body: Any = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return _bad("body must be JSON")
        if not isinstance(body, dict):
            return _bad("body must be a JSON object with user, text and client_id")
        user, text, client_id = body.get("user"), body.get("text"), body.get("client_id")
        if not isinstance(user, str) or not _USER.match(user):
            return _bad(BAD_USER)
        if not isinstance(text, str):
            return _bad("text must be a string")
        if len(text) > MAX_TEXT:
            return _bad(f"text is longer than {MAX_TEXT} characters", 413)
        if not isinstance(client_id, str) or not _CLIENT_ID.match(client_id):
            return _bad("client_id must be 1-128 printable ASCII characters")
        replies = await router.handle(Inbound(channel=CHANNEL, sender=user, text=text, raw_id=f"{user}:{client_id}"))
        return JSONResponse({"replies": [r.as_dict() for r in replies]})

    async def inbox(request: Request) -> Response:
        user = request.query_params.get("user", "")
        if not _USER.match(user):
            return _bad(BAD_USER)
        after_raw = request.query_params.get("after", "0") or "0"
        if not after_raw.isdigit():
            return _bad("after must be a message id (a whole number)")
        try:
            async with sessions() as session:
                rows = (await session.execute(
                    select(WebChatMessage)
                    .where(WebChatMessage.user_id == user, WebChatMessage.id > int(after_raw))
                    .order_by(WebChatMessage.id).limit(200)
                )).scalars().all()
        except Exception as exc:
            if not unavailable(exc):
                raise
            return _bad("the database is not answering; try again shortly", 503)
        return JSONResponse({"messages": [
            {"id": m.id, "kind": m.kind, "text": m.text, "options": list(m.options), "case_id": m.case_id,
             "at": m.created_at.isoformat()} for m in rows
        ]})

    return [
        Route("/chat", page, methods=["GET"]),
        Route("/chat/api/messages", post_message, methods=["POST"]),
        Route("/chat/api/inbox", inbox, methods=["GET"]),
    ]
