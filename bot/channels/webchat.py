"""The local web chat: a page at /chat and a JSON API; pushed messages wait in a per-sender inbox.

Three modes (XINQIAO_WEBCHAT): `demo` lets anyone type a user name (the demo users are bound, staff
included), `on` knows a sender only by a random token this server issued and signed (kept in the
browser's localStorage, sent as `Authorization: Bearer`), so nobody can act as anyone else, and staff
never act through it (there is no console sign-in yet); `off` serves no route at all.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, literal, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.channels.base import Serving, Wiring
from bot.channels.webchat_http import BadRequest, Tokens, api_json, api_json_with, page_response, read_json
from bot.config import Settings
from bot.db.base import utcnow
from bot.db.engine import unavailable
from bot.db.models import WebChatMessage
from bot.db.models_people import STAFF_ROLES
from bot.events import Delivery, Inbound, Outbound
from bot.router import Router
from bot.safe_input import whole_number
from bot.services.messaging import issuance
from bot.services.messaging.sealing import Sealer
from bot.services.school.people import find_identity
from bot.texts import channels as T

CHANNEL = "web"
MAX_TEXT = 20_000
MAX_BODY = MAX_TEXT * 4 + 4096  # the longest text in UTF-8 escapes, and the other fields
MAX_AFTER = 2**63 - 1
_USER = re.compile(r"[A-Za-z0-9_.@-]{1,64}")  # fullmatch: `$` would let a trailing newline through
_CLIENT_ID = re.compile(r"[\x21-\x7e]{1,128}")
BAD_USER = "user must be 1-64 letters, digits or _ . @ -"
DEMO_ONLY = "user names are for the demo web chat only: get a token with POST /chat/api/token"
PAGE = Path(__file__).resolve().parent.parent / "static" / "chat.html"


def inbox_keys(sealer: Sealer, address: str) -> tuple[str, str]:
    """The keys of an address's inbox rows: pushes to them as a person, and replies to their notes.

    Two unrelated keyed hashes: a dump cannot tell that a member's reminders and the replies to an
    anonymous note went to the same browser.
    """
    return sealer.sender_key("inbox", CHANNEL, address), sealer.sender_key("thread-inbox", CHANNEL, address)


class WebChatChannel:
    """Delivers pushes into the web chat inbox table, keyed by a keyed hash of the address."""

    name = CHANNEL
    answers_inline = True

    def __init__(self, sessions: async_sessionmaker[AsyncSession], sealer: Sealer, router: Router,
                 settings: Settings) -> None:
        self._sessions = sessions
        self._sealer = sealer
        self._router = router
        self._settings = settings

    def routes(self, serving: Serving) -> list[Route]:
        """The chat page and its API in the server's web chat mode (none when off)."""
        return _routes(mode=serving.webchat_mode, router=self._router, sessions=self._sessions, sealer=self._sealer,
                       settings=self._settings)

    async def start(self) -> None:
        """Nothing runs on its own: the page polls its inbox."""

    async def close(self) -> None:
        """Nothing to release: the inbox is the database's."""

    async def write(self, session: AsyncSession, push: Outbound) -> Delivery:
        """Store the message in the inbox, in the caller's transaction.

        A reply to an anonymous note keeps no time (it would sit next to the case's reply event) and
        goes when its thread closes (mailbox.close_thread_of_case).
        """
        person_key, thread_key = inbox_keys(self._sealer, push.address)
        to_thread = push.thread_id is not None
        session.add(WebChatMessage(user_key=thread_key if to_thread else person_key, thread_id=push.thread_id,
                                   kind=push.kind, text=push.text, options=list(push.options),
                                   case_id=push.case_id, created_at=None if to_thread else utcnow()))
        return Delivery(ok=True)

    async def send(self, push: Outbound) -> Delivery:
        """Store the message in the inbox, in a transaction of its own."""
        async with self._sessions() as session, session.begin():
            return await self.write(session, push)


def _text_and_client_id(body: dict[str, Any]) -> tuple[str, str]:
    text, client_id = body.get("text"), body.get("client_id")
    if not isinstance(text, str):
        raise BadRequest(400, "text must be a string")
    if len(text) > MAX_TEXT:
        raise BadRequest(413, f"text is longer than {MAX_TEXT} characters")
    if not isinstance(client_id, str) or not _CLIENT_ID.fullmatch(client_id):
        raise BadRequest(400, "client_id must be 1-128 printable ASCII characters")
    return text, client_id


async def _token_wait(request: Request, *, sessions: async_sessionmaker[AsyncSession], sealer: Sealer,
                      settings: Settings) -> int:
    """Seconds this client address must wait for another token (0: now); never a refusal when the
    database is not answering (a token must not be what keeps someone in danger from writing)."""
    client = request.client.host if request.client else ""
    try:
        async with sessions() as session, session.begin():
            return await issuance.retry_after(session=session, sealer=sealer, client=client,
                                              limit=settings.webchat_tokens_per_hour, now=utcnow())
    except Exception as exc:
        if not unavailable(exc):
            raise
        return 0


def _demo_user(value: Any) -> str:
    if not isinstance(value, str) or not _USER.fullmatch(value):
        raise BadRequest(400, BAD_USER)
    return value


def make(wiring: Wiring) -> WebChatChannel:
    """The web chat is always built: its mode decides at serve time whether it has routes."""
    return WebChatChannel(wiring.sessions, wiring.sealer, wiring.router, wiring.settings)


def _routes(*, mode: str, router: Router, sessions: async_sessionmaker[AsyncSession], sealer: Sealer,
            settings: Settings) -> list[Route]:
    """The chat page and its API in this mode (none when off)."""
    if mode == "off":
        return []
    demo = mode == "demo"
    tokens = Tokens(sealer)
    html = PAGE.read_text(encoding="utf-8").replace('data-mode="demo"', f'data-mode="{mode}"')

    async def refuse_staff(address: str) -> None:
        async with sessions() as session:
            who = await find_identity(session=session, channel=CHANNEL, external_id=address)
        if who is not None and who.roles & STAFF_ROLES:
            raise BadRequest(403, T.WEBCHAT_STAFF_REFUSED)

    async def page(_request: Request) -> Response:
        return page_response(html)

    async def issue_token(request: Request) -> Response:
        try:
            if not isinstance(await read_json(request, 1024), dict):
                raise BadRequest(400, "body must be a JSON object (it may be empty: {})")
            wait = await _token_wait(request, sessions=sessions, sealer=sealer, settings=settings)
            if wait:
                minutes = max(1, -(-wait // 60))
                reason = T.WEBCHAT_TOKENS_LIMITED.format(minutes=minutes, emergency=settings.emergency_numbers,
                                                         hotline=settings.hotline)
                return api_json_with({"error": reason}, status=429, headers={"Retry-After": str(wait)})
        except BadRequest as refused:
            return refused.response()
        return api_json({"token": tokens.issue()})

    async def post_message(request: Request) -> Response:
        try:
            address = None if demo else tokens.address(request)
            body = await read_json(request, MAX_BODY)
            if not isinstance(body, dict):
                raise BadRequest(400, "body must be a JSON object with " + ("user, " if demo else "") +
                                 "text and client_id")
            if demo:
                address = _demo_user(body.get("user"))
            elif "user" in body:
                raise BadRequest(400, DEMO_ONLY)
            text, client_id = _text_and_client_id(body)
            assert address is not None
            if not demo:
                await refuse_staff(address)
        except BadRequest as refused:
            return refused.response()
        replies = await router.handle(Inbound(channel=CHANNEL, sender=address, text=text,
                                              raw_id=f"{address}:{client_id}", staff=demo))
        return api_json({"replies": [r.as_dict() for r in replies]})

    async def inbox(request: Request) -> Response:
        try:
            if demo:
                address = _demo_user(request.query_params.get("user", ""))
            elif "user" in request.query_params:
                raise BadRequest(400, DEMO_ONLY)
            else:
                address = tokens.address(request)
                await refuse_staff(address)
            after = whole_number(request.query_params.get("after", "0") or "0", max_digits=19)
            if after is None or after > MAX_AFTER:
                raise BadRequest(400, "after must be a message id (a whole number below 2^63)")
        except BadRequest as refused:
            return refused.response()
        try:
            async with sessions() as session:
                rows = (await session.execute(
                    select(WebChatMessage)
                    .where(WebChatMessage.user_key.in_(inbox_keys(sealer, address)),
                           WebChatMessage.id > literal(after, BigInteger))
                    .order_by(WebChatMessage.id).limit(200)
                )).scalars().all()
        except Exception as exc:
            if not unavailable(exc):
                raise
            return BadRequest(503, "the database is not answering; try again shortly").response()
        return api_json({"messages": [
            {"id": m.id, "kind": m.kind, "text": m.text, "options": list(m.options), "case_id": m.case_id,
             "at": m.created_at.isoformat() if m.created_at else None} for m in rows
        ]})

    found = [
        Route("/chat", page, methods=["GET"]),
        Route("/chat/api/messages", post_message, methods=["POST"]),
        Route("/chat/api/inbox", inbox, methods=["GET"]),
    ]
    return found if demo else [*found, Route("/chat/api/token", issue_token, methods=["POST"])]
