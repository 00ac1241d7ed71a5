"""The small protocol between the delivery worker and the channel adapters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class Push:
    """One message to deliver to one address on one channel."""

    address: str
    kind: str
    text: str
    options: list[str] = field(default_factory=list)
    case_id: int | None = None
    thread_id: int | None = None  # a reply to an anonymous note: the address came from its sealed row


@dataclass(frozen=True)
class Delivery:
    """What a channel said: delivered, try again later, or never deliverable."""

    ok: bool
    retry_after: float | None = None  # seconds; set when the failure is temporary
    error: str = ""
    window_closed: bool = False  # the platform only lets us answer a person who wrote lately (WeChat: 48 h)
    deferred: bool = False  # not sent yet by our own pacing (a send limit): not an attempt, never a failure

    @property
    def permanent(self) -> bool:
        """A failure that retrying will not fix (e.g. outside WeChat's 48-hour window)."""
        return not self.ok and self.retry_after is None and not self.deferred


class Channel(Protocol):
    """A transport the delivery worker can send through.

    A channel whose platform limits sends to one person (WeCom: 30 a minute) says so in an attribute
    `per_person_per_minute`; the worker then counts sends in the database, for every process.
    """

    name: str

    async def send(self, push: Push) -> Delivery:
        """Send one message."""
        ...


@runtime_checkable
class LocalChannel(Protocol):
    """A channel that stores messages in our own database: it writes in the delivery's transaction."""

    name: str

    async def write(self, session: AsyncSession, push: Push) -> Delivery:
        """Store one message using the caller's session (committed with the row's new state)."""
        ...
