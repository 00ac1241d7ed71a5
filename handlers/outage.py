"""What the bot says while the database does not answer (the message is spooled, replayed later).

Fixed text that needs nothing from the database: no thread code, no case number (both come with
the replayed reply once the database is back). The texts (bot/texts/crisis.py OUTAGE, BUSY) follow
docs/SAFE_REPLIES.md like the other crisis texts; the sender may be a student or a committee member,
so they speak to both.
"""

from __future__ import annotations

from bot.config import Settings
from bot.events import Reply
from bot.texts import crisis as T
from bot.texts.fill import fill


def reply(level: str, settings: Settings) -> Reply:
    """The fixed answer to a message that was spooled: the crisis text for red and orange, else busy."""
    if level in T.OUTAGE:
        return Reply(fill(T.OUTAGE[level], settings))
    return Reply(fill(T.BUSY, settings))
