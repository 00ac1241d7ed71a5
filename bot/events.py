"""Inbound and outbound messages as the router sees them, whatever the channel."""

from __future__ import annotations

from dataclasses import dataclass

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
