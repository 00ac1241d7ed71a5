"""Console fixtures: the demo school on the in-process ASGI app, and a browser-like client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from bot.app import App
from tests.console.helpers import Browser


@pytest.fixture
async def browser(app: App) -> AsyncIterator[Callable[[], Browser]]:
    """Make browser-like clients (each with its own cookies) on one app."""
    asgi = app.asgi(clock=False)
    clients: list[httpx.AsyncClient] = []

    def make() -> Browser:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url="http://xinqiao.test")
        clients.append(client)
        return Browser(client, app)

    yield make
    for client in clients:
        await client.aclose()
