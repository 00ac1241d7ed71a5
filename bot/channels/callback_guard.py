"""Checks every signed platform callback passes before anything is parsed or written.

Size (64 KiB), XML without DOCTYPE or entities (XXE), a timestamp within 300 s of now, and a nonce
not seen in the last 10 minutes (kept in the database, so every process sees every nonce). A nonce
seen again on a message already answered is the platform's retry of a request whose answer was lost
in transit: it gets the stored answer; a seen nonce with anything else is a replay (403).
"""

from __future__ import annotations

import logging
import re
import time
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from bot.db.base import utcnow
from bot.db.models import CallbackNonce
from bot.db.on_conflict import OnConflict
from bot.events import Inbound, Reply
from bot.router import Router
from bot.services.messaging.inbound import answered
from bot.services.messaging.sealing import Sealer

log = logging.getLogger(__name__)
MAX_BODY = 64 * 1024
CLOCK_SKEW = timedelta(seconds=300)
NONCE_MEMORY = timedelta(minutes=10)
_next_sweep = 0.0
_XXE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_CLAIM = OnConflict(lambda insert: insert(CallbackNonce).on_conflict_do_nothing())  # every signed callback


class Refused(Exception):
    """A callback refused; status is the HTTP status to answer, reason says why (for the log)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def check_xml(body: bytes) -> None:
    """Refuse an oversized body, or XML that declares a DOCTYPE or entities."""
    if len(body) > MAX_BODY:
        raise Refused(413, "body over 64 KiB")
    if _XXE.search(body):
        raise Refused(400, "XML with DOCTYPE or entities")


def check_timestamp(timestamp: str, now: datetime | None = None) -> None:
    """Refuse a timestamp more than 300 s from now."""
    try:
        at = datetime.fromtimestamp(int(timestamp), (now or utcnow()).tzinfo)
    except (ValueError, OverflowError, OSError) as exc:
        raise Refused(403, "bad timestamp") from exc
    if abs(at - (now or utcnow())) > CLOCK_SKEW:
        raise Refused(403, "stale timestamp")


async def claim_nonce(session: AsyncSession, channel: str, nonce: str, now: datetime | None = None,
                      message_key: str | None = None, sealer: Sealer | None = None) -> None:
    """Record a nonce in the caller's transaction; Refused(403) if it was seen in the last 10 minutes,
    unless it carries a message (message_key) already answered: the router then gives the stored answer.

    The caller's transaction is the one that handles the message, so a refused replay writes nothing
    and an accepted callback costs no transaction of its own.
    """
    global _next_sweep
    now = now or utcnow()
    if not nonce or len(nonce) > 64:
        raise Refused(403, "bad nonce")
    if time.monotonic() >= _next_sweep:  # forget old nonces now and then, not on every callback
        _next_sweep = time.monotonic() + 60
        await session.execute(delete(CallbackNonce).where(CallbackNonce.seen_at < now - NONCE_MEMORY))
    result = await _CLAIM.execute(session, {"channel": channel, "nonce": nonce, "seen_at": now})
    if result.rowcount != 1 and not (message_key and sealer and await answered(
            session=session, channel=channel, key=message_key, sealer=sealer)):
        raise Refused(403, "replayed nonce")


async def remember_nonce(sessions: async_sessionmaker[AsyncSession], channel: str, nonce: str,
                         now: datetime | None = None) -> None:
    """claim_nonce in a transaction of its own (for callbacks that do not reach the router)."""
    async with sessions() as session, session.begin():
        await claim_nonce(session, channel, nonce, now)


async def read_body(request: Request) -> bytes:
    """The body, refusing more than 64 KiB without reading it all."""
    if int(request.headers.get("content-length") or 0) > MAX_BODY:
        raise Refused(413, "body over 64 KiB")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise Refused(413, "body over 64 KiB")
    return body


def refusal(channel: str, refused: Refused) -> PlainTextResponse:
    """The answer to a refused callback (logged with the reason, never the content)."""
    log.warning("%s callback refused: %s", channel, refused.reason)
    return PlainTextResponse(refused.reason, status_code=refused.status)


async def route_signed(router: Router, sessions: async_sessionmaker[AsyncSession], channel: str,
                       inbound: Inbound | None, nonce: str) -> list[Reply]:
    """Route a checked callback with its nonce claimed in the message's own transaction (or, when the
    router has nothing to do with it, in one of its own); Refused on a replayed nonce."""
    if inbound is None:
        await remember_nonce(sessions, channel, nonce)
        return []
    return await router.handle(inbound, guard=lambda session: claim_nonce(
        session, channel, nonce, message_key=inbound.raw_id, sealer=router.sealer))
