"""The types that cross layers: Inbound and Reply (router and handlers), Outbound and Delivery (delivery
worker and channels), and the small protocol the delivery worker sends through."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.safe_input import clean_id, clean_text


@dataclass(frozen=True)
class Inbound:
    """One message from a person on a channel; raw_id de-duplicates retries.

    Made safe as it is built, whichever adapter builds it: lone surrogates in the text become U+FFFD
    (a crisis note with one is filed like any other), and the sender's id loses surrounding whitespace.
    """

    channel: str
    sender: str
    text: str
    raw_id: str
    choice: str | None = None  # the option a button carried, when the channel has buttons
    staff: bool = True  # staff may act through this channel (not the web chat outside the demo)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sender", clean_id(self.sender))
        object.__setattr__(self, "text", clean_text(self.text))
        object.__setattr__(self, "raw_id", clean_text(self.raw_id))
        if self.choice is not None:
            object.__setattr__(self, "choice", clean_text(self.choice))


@dataclass(frozen=True)
class Reply:
    """One message back to the sender, with options shown as buttons or numbers."""

    text: str
    options: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"text": self.text, "options": list(self.options)}


@dataclass(frozen=True)
class Outbound:
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

    async def send(self, push: Outbound) -> Delivery:
        """Send one message."""
        ...


@runtime_checkable
class LocalChannel(Protocol):
    """A channel that stores messages in our own database: it writes in the delivery's transaction."""

    name: str

    async def write(self, session: AsyncSession, push: Outbound) -> Delivery:
        """Store one message using the caller's session (committed with the row's new state)."""
        ...
