"""Conversation state per (channel, user): load, expire, save."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Conversation

CRISIS_MEMORY = timedelta(hours=24)
# Built once: every inbound message runs it.
_LOCKED = (select(Conversation)
           .where(Conversation.channel == bindparam("channel"), Conversation.external_id == bindparam("external_id"))
           .with_for_update())


async def load_conversation(
    *, session: AsyncSession, channel: str, external_id: str, now: datetime, idle: timedelta,
) -> Conversation:
    """Return the user's conversation (locked for this transaction), back at the menu if idle too long."""
    conv = (await session.execute(_LOCKED, {"channel": channel, "external_id": external_id})).scalar_one_or_none()
    if conv is None:
        conv = Conversation(channel=channel, external_id=external_id, state="menu", data={}, updated_at=now)
        session.add(conv)
        await session.flush()
    elif conv.state != "menu" and now - conv.updated_at > idle:
        conv.state, conv.data = "menu", {"expired": True}
    if conv.crisis_at is not None and now - conv.crisis_at > CRISIS_MEMORY:
        conv.crisis_level, conv.crisis_at = None, None
    return conv
