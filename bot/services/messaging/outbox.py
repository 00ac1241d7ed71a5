"""Put messages in the outbox: to every channel a person has bound, or to a sealed thread address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import OutboxMessage, SealedAddress
from bot.services.messaging.sealing import Sealer
from bot.services.school import console_links
from bot.services.school.people import identities_of

PRIORITY_PAGE = 100
PRIORITY_NORMAL = 0
STAFF_LINKED = ("page", "notice", "reminder")  # kinds that carry the case's console link to staff


THREAD_NOTICE = "thread_notice:"  # ref of a notice to a thread's holder: thread_notice:<case id>:<about>
ABOUT_MESSAGE = "message"  # an urgent message in the thread (folded while its sender floods)
ABOUT_OTHER = "other"  # anything else (an answer to the direct question always goes)
QUEUED = "outbox_queued"  # session.info flag: this transaction queued something to deliver
WINDOW_CLOSED = "window closed"  # last_error of a row the platform would not take outside its reply window


async def to_person(*, session: AsyncSession, person_id: int, kind: str, text: str,
                    options: list[str] | None = None, case_id: int | None = None,
                    priority: int = PRIORITY_NORMAL, due_at: datetime | None = None,
                    ref: str | None = None, sender_key: str | None = None) -> list[OutboxMessage]:
    """Queue a message to every channel the person has bound; returns the rows (none if unbound).

    sender_key: who caused it (a keyed hash), by which pages to one person are queued fairly.
    """
    rows = []
    if kind in STAFF_LINKED:
        text = await console_links.with_link(session=session, person_id=person_id, case_id=case_id, text=text)
    for ident in await identities_of(session=session, person_id=person_id):
        row = OutboxMessage(
            channel=ident.channel, address=ident.external_id, person_id=person_id, kind=kind, text=text,
            options=options or [], case_id=case_id, priority=priority, due_at=due_at or utcnow(), ref=ref,
            state="pending", attempts=0, sender_key=sender_key,
        )
        session.add(row)
        rows.append(row)
    session.info[QUEUED] = session.info.get(QUEUED) or bool(rows)
    await session.flush()
    return rows


def thread_notice_ref(case_id: int, about: str) -> str:
    """The ref of a notice to the holder of a case's thread."""
    return f"{THREAD_NOTICE}{case_id}:{about}"


async def to_thread(*, session: AsyncSession, thread_id: int, kind: str, text: str,
                    options: list[str] | None = None, case_id: int | None = None) -> OutboxMessage:
    """Queue a message to an anonymous sender; the address is unsealed only at delivery."""
    row = OutboxMessage(channel=None, address=None, thread_id=thread_id, kind=kind, text=text,
                        options=options or [], case_id=case_id, due_at=utcnow())
    session.add(row)
    session.info[QUEUED] = True
    await session.flush()
    return row


async def cancel(*, session: AsyncSession, ref: str) -> int:
    """Withdraw every message of a ref not yet sent (a cancelled session's reminders); return how many."""
    result = await session.execute(update(OutboxMessage).where(
        OutboxMessage.ref == ref, OutboxMessage.state == "pending").values(state="cancelled"))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# Built once.
_RELEASE = update(OutboxMessage).where(
    OutboxMessage.state == "undeliverable", OutboxMessage.channel == bindparam("to_channel"),
    OutboxMessage.address == bindparam("to_address"), OutboxMessage.last_error.startswith(WINDOW_CLOSED),
).values(state="pending", due_at=bindparam("release_at"), attempts=0).execution_options(synchronize_session=False)


_HELD_FOR_THREADS = (select(OutboxMessage.id, SealedAddress.sealed)
                     .join(SealedAddress, SealedAddress.thread_id == OutboxMessage.thread_id)
                     .where(OutboxMessage.state == "undeliverable", OutboxMessage.last_error.startswith(WINDOW_CLOSED)))
_HELD_SEALED = (select(OutboxMessage.id, OutboxMessage.sealed)
                .where(OutboxMessage.state == "undeliverable", OutboxMessage.sealed.is_not(None),
                       OutboxMessage.last_error.startswith(WINDOW_CLOSED)))


async def release_held(*, session: AsyncSession, channel: str, address: str, now: datetime,
                       sealer: Sealer) -> int:
    """The person wrote again: what their platform refused outside its reply window goes out now.

    Replies to their anonymous threads and to their own messages too: those rows carry no address, so
    each held one's sealed address is opened and compared here (the router calls this only when the
    person has one held).
    """
    result = await session.execute(_RELEASE, {"to_channel": channel, "to_address": address, "release_at": now})
    released = int(result.rowcount or 0)  # type: ignore[attr-defined]
    theirs = [row_id for row_id, sealed in (await session.execute(_HELD_FOR_THREADS)).all()
              if sealer.unseal(sealed) == (channel, address)]
    theirs += [row_id for row_id, sealed in (await session.execute(_HELD_SEALED)).all()
               if sealed_address(sealer, sealed) == (channel, address)]
    if theirs:
        await session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(theirs))
                              .values(state="pending", due_at=now, attempts=0)
                              .execution_options(synchronize_session=False))
        released += len(theirs)
    session.info[QUEUED] = session.info.get(QUEUED) or released > 0
    return released


async def count_held(*, session: AsyncSession) -> int:
    """Messages waiting for their recipient to write again (outside the platform's reply window)."""
    return int((await session.execute(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.state == "undeliverable", OutboxMessage.last_error.startswith(WINDOW_CLOSED)))).scalar_one())


def sealed_address(sealer: Sealer, sealed: str) -> tuple[str, str] | None:
    """The (channel, address) of a row queued by replies_to; None when not readable."""
    opened = sealer.unseal_json(sealed)
    if not isinstance(opened, dict):
        return None
    return str(opened.get("channel")), str(opened.get("address"))


async def replies_to(*, session: AsyncSession, channel: str, address: str, texts: list[tuple[str, list[str]]],
                     ref: str, sealer: Sealer) -> list[OutboxMessage]:
    """Queue the router's replies to a sender on a channel that cannot answer within the request.

    The sender may be anonymous and a reply may carry their note's thread code: address, text and
    options are sealed together (the delivery worker opens them), the plain columns stay empty.
    Idempotent on ref (a platform's retry of the same update queues nothing twice).
    """
    exists = (await session.execute(select(OutboxMessage.id).where(OutboxMessage.ref == ref).limit(1))).first()
    if exists is not None:
        return []
    now = utcnow()
    rows = [OutboxMessage(channel=channel, address=None, kind="reply", text="", options=[], ref=ref,
                          sealed=sealer.seal_json({"channel": channel, "address": address, "text": text,
                                                   "options": list(options)}),
                          priority=PRIORITY_PAGE, due_at=now, state="pending", attempts=0)
            for text, options in texts]
    session.add_all(rows)
    await session.flush()
    return rows
