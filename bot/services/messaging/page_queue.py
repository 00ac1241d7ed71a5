"""What goes now to one person: a flood's notices folded; on a rate-limited channel, fair by sender and
several pages as one digest.

On every channel, a notice of one more urgent message in a case's thread (outbox.ABOUT_MESSAGE) is
folded into what its holder was already told about the case while the case's sender floods (FLAG_AT
urgent messages within ten minutes, crisis/flood.py): the message is in the thread and the chain goes
on, but the holder is not sent one notice per message (they would use up a rate-limited channel's
minute and delay another student's page). The row is kept, `merged` into the earlier one.

On a rate-limited channel all that is due for the recipient is looked at, not only the claimed batch,
so that a page queued behind a hundred others is seen. Pages and urgent notices to a thread's holder
come first, taken round-robin by the sender that caused them (a keyed hash, or the case when none was
kept): a new sender's page goes before the second page of one that sent many. When more than one
waits, up to ten go as one digest row (they are marked `merged` into it and take its outcome). Then
digests being retried and other messages in priority order, while the minute's slots last; the rest
wait for the next free slot. Nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Case, OutboxMessage
from bot.services.crisis.flood import in_flood
from bot.services.messaging.outbox import ABOUT_MESSAGE, PRIORITY_PAGE, THREAD_NOTICE
from bot.services.messaging.page_digest import MAX_CASES, digest
from bot.services.messaging.send_budget import budget

LOOK_AHEAD = 1000  # due rows of one recipient looked at in one claim


TOLD = ("sent", "sending", "merged")  # states of a row that told (or is telling) its recipient


def urgent(row: OutboxMessage) -> bool:
    """A page, or an urgent notice to a thread's holder: queued fairly and merged as pages are."""
    return row.kind == "page" or (row.kind == "notice" and row.priority >= PRIORITY_PAGE
                                  and (row.ref or "").startswith(THREAD_NOTICE))


async def fold_flooded(*, session: AsyncSession, rows: Sequence[OutboxMessage]) -> list[OutboxMessage]:
    """The rows left to send once the notices of a flood's messages are folded (marked `merged` into the
    latest row that told the same recipient about the case)."""
    keep: list[OutboxMessage] = []
    for row in rows:
        if not (row.ref or "").endswith(f":{ABOUT_MESSAGE}") or row.case_id is None \
                or not await in_flood(session=session, case_id=row.case_id, at=row.due_at):
            keep.append(row)
            continue
        told = (await session.execute(select(OutboxMessage.id).where(
            OutboxMessage.case_id == row.case_id, OutboxMessage.channel == row.channel,
            OutboxMessage.address == row.address, OutboxMessage.state.in_(TOLD), OutboxMessage.id != row.id)
            .order_by(OutboxMessage.id.desc()).limit(1))).scalar_one_or_none()
        if told is None:  # the holder knows nothing of the case yet on this channel: this one goes
            keep.append(row)
        else:
            row.state, row.merged_into = "merged", told
    return keep


def fair(pages: Sequence[OutboxMessage]) -> list[OutboxMessage]:
    """Round-robin by sender; senders in the order of their first page, each sender's pages in order."""
    queues: dict[str, list[OutboxMessage]] = {}
    for row in sorted(pages, key=lambda r: (r.due_at, r.id)):
        queues.setdefault(row.sender_key or f"case:{row.case_id}", []).append(row)
    order: list[OutboxMessage] = []
    depth = 0
    while len(order) < len(pages):
        order += [queue[depth] for queue in queues.values() if depth < len(queue)]
        depth += 1
    return order


async def paced(*, session: AsyncSession, channel: str, address: str, rows: Sequence[OutboxMessage],
                per_minute: int, now: datetime) -> list[OutboxMessage]:
    """The rows to send now (new digest rows among them); the others are left pending until a slot frees."""
    slots = await budget(session=session, channel=channel, address=address, per_minute=per_minute, now=now)
    known = {r.id for r in rows}
    more = (await session.execute(
        select(OutboxMessage).where(OutboxMessage.state == "pending", OutboxMessage.due_at <= now,
                                    OutboxMessage.channel == channel, OutboxMessage.address == address,
                                    OutboxMessage.id.not_in(known))
        .order_by(OutboxMessage.id).limit(LOOK_AHEAD).with_for_update(skip_locked=True))).scalars().all()
    waiting = list(rows) + await fold_flooded(session=session, rows=more)
    pages = fair([r for r in waiting if urgent(r)])
    rest = sorted((r for r in waiting if not urgent(r)),
                  key=lambda r: (r.kind != "digest", -r.priority, r.due_at, r.id))
    send: list[OutboxMessage] = []
    while pages and slots.take(session, now):
        group, pages = pages[:MAX_CASES], pages[MAX_CASES:]
        send.append(group[0] if len(group) == 1 else await _merge(session=session, group=group, now=now))
    for row in rest:
        if slots.take(session, now):
            send.append(row)
    sending = {id(r) for r in send}
    for row in pages + [r for r in rest if id(r) not in sending]:
        row.state, row.due_at = "pending", slots.frees_at
    return send


async def _merge(*, session: AsyncSession, group: list[OutboxMessage], now: datetime) -> OutboxMessage:
    """One digest row carrying the group's pages."""
    case_ids = {r.case_id for r in group if r.case_id is not None}
    levels: dict[int, str] = {case_id: level for case_id, level in (await session.execute(
        select(Case.id, Case.level).where(Case.id.in_(case_ids)))).all()}
    text, options = digest(group, levels)
    first = group[0]
    carrier = OutboxMessage(channel=first.channel, address=first.address, person_id=first.person_id, kind="digest",
                            text=text, options=options, priority=PRIORITY_PAGE, due_at=now, state="pending",
                            attempts=0, sender_key=first.sender_key)
    session.add(carrier)
    await session.flush()
    for row in group:
        row.state, row.merged_into = "merged", carrier.id
    return carrier
