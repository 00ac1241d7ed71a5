"""An API access token fetched once, shared by every request, refreshed before it expires or when refused."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

REFRESH_MARGIN = 300.0  # seconds before expiry


class AccessToken:
    """Caches what fetch() returns: (token, lifetime in seconds)."""

    def __init__(self, fetch: Callable[[], Awaitable[tuple[str, float]]]) -> None:
        self._fetch = fetch
        self._token: str | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def get(self) -> str:
        """The current token, fetching a new one only when there is none or it is about to expire."""
        if self._token is not None and time.monotonic() < self._expires - REFRESH_MARGIN:
            return self._token
        async with self._lock:  # one fetch for all the requests waiting on it
            if self._token is None or time.monotonic() >= self._expires - REFRESH_MARGIN:
                token, lifetime = await self._fetch()
                self.fetches += 1
                self._token, self._expires = token, time.monotonic() + lifetime
            return self._token

    def invalidate(self, token: str) -> None:
        """The platform refused this token (40001, 42001): fetch again next time."""
        if self._token == token:
            self._token = None
