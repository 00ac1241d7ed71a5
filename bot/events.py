"""Inbound and outbound messages as the router sees them, whatever the channel."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Inbound:
    """One message from a person on a channel; raw_id de-duplicates retries."""

    channel: str
    sender: str
    text: str
    raw_id: str
    choice: str | None = None  # the option a button carried, when the channel has buttons
    staff: bool = True  # staff may act through this channel (not the web chat outside the demo)
