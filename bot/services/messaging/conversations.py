"""Conversation state per (channel, user): load (locked), expire, save.

The flow data is stored sealed with the server key: it can hold what links a sender to their
anonymous note (the thread code they are choosing pushes for, the crisis case their replies keep
resources under, the options last shown) or a member's draft about a classmate.

The router reads and writes this row on every message, so it goes through prebuilt Core statements
into a plain dataclass rather than through the ORM's unit of work (measured: an ORM insert or update
costs about 0.6 ms of CPU more than the same statement in Core, a tenth of a chat message).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import minute_after
from bot.db.models import Conversation
from bot.db.on_conflict import OnConflict
from bot.services.messaging.sealing import Sealer

CRISIS_MEMORY = timedelta(hours=24)
_CRISIS = "_crisis"  # the crisis memory's key in the sealed data: {"level", "at"}
# Built once: every inbound message runs them.
_LOCKED = (select(Conversation.state, Conversation.data, Conversation.idle_until, Conversation.held)
           .where(Conversation.channel == bindparam("channel"), Conversation.sender_key == bindparam("sender_key"))
           .with_for_update())
_INSERT = insert(Conversation).inline()
_UPDATE = (update(Conversation)
           .where(Conversation.channel == bindparam("key_channel"),
                  Conversation.sender_key == bindparam("key_sender_key"))
           .values(state=bindparam("state"), data=bindparam("data"), idle_until=bindparam("idle_until"),
                   held=bindparam("held")))
# Upserted per dialect by the delivery worker (the person may never have written on this address).
_MARK_HELD = OnConflict(lambda insert: insert(Conversation).values(state="menu", data={}, held=True)
                        .on_conflict_do_update(index_elements=["channel", "sender_key"], set_={"held": true()}))


def conversation_key(sealer: Sealer, channel: str, address: str) -> str:
    """What the conversation of (channel, address) is stored under."""
    return sealer.sender_key("conversation", channel, address)


@dataclass
class ConversationState:
    """Where one (channel, user) is: the flow state, its data, and the crisis memory (all but the state sealed)."""

    channel: str
    external_id: str  # the address, in memory only: the row has its keyed hash
    state: str = "menu"
    data: dict[str, Any] = field(default_factory=dict)
    crisis_level: str | None = None
    crisis_at: datetime | None = None
    updated_at: datetime | None = None  # set by the router; stored only as the idle expiry, to the minute
    held: bool = False  # something waits for this person to write again (outbox.release_held)
    new: bool = False  # no row yet: save inserts it


def _crisis_memory(data: dict[str, Any]) -> tuple[str | None, datetime | None]:
    memory = data.pop(_CRISIS, None)
    if not isinstance(memory, dict):
        return None, None
    try:
        return str(memory["level"]), datetime.fromisoformat(str(memory["at"]))
    except (KeyError, ValueError):
        return None, None


async def load_conversation(
    *, session: AsyncSession, channel: str, external_id: str, now: datetime, sealer: Sealer,
) -> ConversationState:
    """Return the user's conversation (its row locked for this transaction), back at the menu if idle
    too long. A first conversation has no row until save_conversation inserts it with its final
    state; two first messages from one sender at once: the second's insert fails on the primary key.
    The idle expiry was set by save_conversation, to the minute: a flow expires up to a minute late.
    """
    row = (await session.execute(_LOCKED, {"channel": channel,
                                           "sender_key": conversation_key(sealer, channel, external_id)})).first()
    if row is None:
        return ConversationState(channel=channel, external_id=external_id, updated_at=now, new=True)
    data = sealer.open_stored(row.data or {})
    readable = isinstance(data, dict)  # not when sealed with another key: back to the menu
    data = dict(data) if readable else {}
    crisis_level, crisis_at = _crisis_memory(data)
    conv = ConversationState(channel=channel, external_id=external_id, state=row.state if readable else "menu",
                             data=data, crisis_level=crisis_level, crisis_at=crisis_at, held=row.held)
    if conv.state != "menu" and row.idle_until is not None and now > row.idle_until:
        conv.state, conv.data = "menu", {"expired": True}
    if conv.crisis_at is not None and now - conv.crisis_at > CRISIS_MEMORY:
        conv.crisis_level, conv.crisis_at = None, None
    conv.updated_at = now
    return conv


async def save_conversation(*, session: AsyncSession, conv: ConversationState, sealer: Sealer,
                            idle: timedelta = timedelta(minutes=30)) -> None:
    """Write the conversation back (insert a first one), its data and crisis memory sealed."""
    data = dict(conv.data)
    if conv.crisis_level and conv.crisis_at is not None:
        data[_CRISIS] = {"level": conv.crisis_level, "at": conv.crisis_at.isoformat()}
    idle_until = minute_after(conv.updated_at + idle) if conv.state != "menu" and conv.updated_at else None
    values = {"state": conv.state, "data": sealer.seal_stored(data), "idle_until": idle_until, "held": conv.held}
    connection = await session.connection()
    key = conversation_key(sealer, conv.channel, conv.external_id)
    if conv.new:
        await connection.execute(_INSERT, {"channel": conv.channel, "sender_key": key, **values})
        conv.new = False
    else:
        await connection.execute(_UPDATE, {"key_channel": conv.channel, "key_sender_key": key, **values})


async def mark_held(*, session: AsyncSession, channel: str, address: str, sealer: Sealer) -> None:
    """Note that a message to this address waits until they write again (creating the row if need be)."""
    await _MARK_HELD.execute(session, {"channel": channel, "sender_key": conversation_key(sealer, channel, address)})
