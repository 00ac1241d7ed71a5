"""Replies and pushes as plain text, for channels without buttons: options become numbered lines."""

from __future__ import annotations

from collections.abc import Sequence

from bot.events import Reply
from bot.texts import channels as T


def with_options(text: str, options: Sequence[str]) -> str:
    """The text, then the options numbered (the router takes the number as the option)."""
    if not options:
        return text
    return text + "\n\n" + T.CHOOSE + "\n" + "\n".join(f"{n}. {o}" for n, o in enumerate(options, 1))


def replies_text(replies: Sequence[Reply], limit: int = 2000) -> str:
    """All replies in one message (a passive reply carries one), options of the last numbered."""
    if not replies:
        return ""
    body = "\n\n".join(r.text for r in replies[:-1])
    last = with_options(replies[-1].text, replies[-1].options)
    text = f"{body}\n\n{last}" if body else last
    return text if len(text.encode("utf-8")) <= limit * 3 else text[:limit] + "…"
