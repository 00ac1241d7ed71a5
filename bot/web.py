"""The ASGI app: channel routes and /healthz."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.services.crisis.escalation import overdue
from bot.services.messaging.spool import Spool

HEALTH_WAIT = 2.0  # seconds: /healthz answers within about this long, whatever the database does


def build_web(*, routes: Sequence[BaseRoute], sessions: async_sessionmaker[AsyncSession],
              lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None,
              chat: bool = False, spool: Spool | None = None, wait: float = 3.0) -> Starlette:
    """Compose the channel routes with the health check (which answers within about wait seconds)."""

    async def check() -> list:
        async with sessions() as session, session.begin():
            if session.get_bind().dialect.name == "sqlite":
                # A write that changes nothing: a file that cannot be written fails here, as messages would.
                version = (await session.execute(text("PRAGMA user_version"))).scalar_one()
                await session.execute(text(f"PRAGMA user_version = {int(version)}"))
            else:
                await session.execute(text("SELECT 1"))
            return list(await overdue(session=session))

    async def healthz(_request: Request) -> Response:
        spooled = spool.pending() if spool is not None else 0
        try:
            late = await asyncio.wait_for(check(), min(wait, HEALTH_WAIT))
        except Exception as exc:  # any database failure, or no answer in time, means unhealthy
            return JSONResponse({"status": "error", "database": "down", "error": type(exc).__name__,
                                 "spooled": spooled}, status_code=503)
        if spooled:  # messages that arrived while the database was away are not filed yet
            return JSONResponse({"status": "error", "database": "ok", "spooled": spooled}, status_code=503)
        if late:  # a page that should have gone out has not: whoever watches this must know
            return JSONResponse({"status": "error", "database": "ok", "escalation": "late",
                                 "late_cases": sorted({e.case_id for e in late})}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok", "escalation": "ok"})

    async def root(_request: Request) -> Response:
        return JSONResponse({"name": "xinqiao", "health": "/healthz", **({"chat": "/chat"} if chat else {})})

    return Starlette(routes=[Route("/", root), Route("/healthz", healthz), *routes], lifespan=lifespan)
