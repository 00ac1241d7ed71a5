"""The one shape of a channel adapter, and what the composition root gives each one.

Every transport (WeChat, WeCom, Telegram, the web chat; DingTalk or SMS later) is one module in
bot/channels/ with a `make(wiring)` that returns its adapter, or None when its settings leave it off,
and one line in `CHANNELS` in bot/app.py. An adapter turns platform requests into `Inbound` events for
`Router.handle` and sends `Outbound` messages; it never writes to the outbox (the router queues every
reply) and imports nothing from handlers/.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.routing import Route

from bot.config import Settings
from bot.events import Delivery, Outbound
from bot.router import Router
from bot.services.messaging.sealing import Sealer


@dataclass(frozen=True)
class Wiring:
    """What an adapter is built from: the settings, the router it hands events to, the database."""

    settings: Settings
    router: Router
    sessions: async_sessionmaker[AsyncSession]
    sealer: Sealer


@dataclass(frozen=True)
class Serving:
    """How this server serves its web routes (the web chat's mode: demo, on or off)."""

    webchat_mode: str


class ChannelAdapter(Protocol):
    """A transport: its web routes, its own start (polling) and close, and sending one message.

    answers_inline: the platform's HTTP response carries the replies (WeChat, WeCom, the web chat);
    otherwise the router queues them for delivery (Telegram).
    """

    name: str
    answers_inline: bool

    def routes(self, serving: Serving) -> list[Route]:
        """The routes this channel serves (none when it only polls or is off in this mode)."""
        ...

    async def start(self) -> None:
        """Start what runs on its own (Telegram polling); nothing for callback channels."""
        ...

    async def send(self, push: Outbound) -> Delivery:
        """Send one message."""
        ...

    async def close(self) -> None:
        """Stop and release what it holds (HTTP clients, the polling task)."""
        ...


ChannelFactory = Callable[[Wiring], ChannelAdapter | None]
