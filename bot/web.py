"""The ASGI app: channel routes and /healthz."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.services.escalation import overdue


def build_web(*, routes: Sequence[BaseRoute], sessions: async_sessionmaker[AsyncSession],
              lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None,
              chat: bool = False) -> Starlette:
    """Compose the channel routes with the health check."""

    async def healthz(_request: Request) -> Response:
        try:
            async with sessions() as session:
                await session.execute(text("SELECT 1"))
                late = await overdue(session=session)
        except Exception as exc:  # any database failure means unhealthy
            return JSONResponse({"status": "error", "database": type(exc).__name__}, status_code=503)
        if late:  # a page that should have gone out has not: whoever watches this must know
            return JSONResponse({"status": "error", "database": "ok", "escalation": "late",
                                 "late_cases": sorted({e.case_id for e in late})}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok", "escalation": "ok"})

    async def root(_request: Request) -> Response:
        return JSONResponse({"name": "xinqiao", "health": "/healthz", **({"chat": "/chat"} if chat else {})})

    return Starlette(routes=[Route("/", root), Route("/healthz", healthz), *routes], lifespan=lifespan)
