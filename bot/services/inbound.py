"""Idempotent inbound: a message handled once is never handled again; a retry gets the same replies.

The replies are stored sealed with the server key: a record's key can name the sender (the web
chat's is user:client_id) and a reply to an anonymous note carries its thread code.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import InboundRecord
from bot.services.sealing import Sealer

# Built once: every inbound message runs it (building a statement costs about as much as running it).
_PREVIOUS = select(InboundRecord.replies).where(InboundRecord.channel == bindparam("channel"),
                                                InboundRecord.dedupe_key == bindparam("key"))
_RECORD = insert(InboundRecord).inline()  # a plain Core insert: no unit of work, no id fetched back


async def previous_replies(*, session: AsyncSession, channel: str, key: str,
                           sealer: Sealer) -> list[dict[str, Any]] | None:
    """The replies an already-handled message got, or None if it is new (an empty list when they
    cannot be read: the message is still not handled twice)."""
    row = (await session.execute(_PREVIOUS, {"channel": channel, "key": key})).first()
    if row is None:
        return None
    replies = sealer.open_stored(row[0])  # recorded before replies were sealed: a plain list
    return replies if isinstance(replies, list) else []


async def answered(*, session: AsyncSession, channel: str, key: str) -> bool:
    """Whether a message was already handled (and its answer stored)."""
    return (await session.execute(_PREVIOUS, {"channel": channel, "key": key})).first() is not None


async def record_inbound(*, session: AsyncSession, channel: str, key: str, replies: list[dict[str, Any]],
                         sealer: Sealer) -> None:
    """Remember a handled message (the unique key makes a racing duplicate fail here or at commit)."""
    await (await session.connection()).execute(_RECORD, {"channel": channel, "dedupe_key": key,
                                                         "replies": sealer.seal_stored(replies)})
