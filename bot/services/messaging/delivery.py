"""The delivery worker: claim due outbox rows and hand them to channels, with retries and backoff."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Hashable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.engine import unavailable
from bot.db.models import OutboxMessage, Person
from bot.db.models_people import STAFF_ROLES
from bot.events import Channel, Delivery, LocalChannel, Outbound
from bot.services.crisis.cases import add_event
from bot.services.crisis.mailbox import unseal_address
from bot.services.crisis.paging import page_delivered
from bot.services.messaging.conversations import mark_held
from bot.services.messaging.lanes import Lanes
from bot.services.messaging.outbox import WINDOW_CLOSED
from bot.services.messaging.page_queue import fold_flooded, paced
from bot.services.messaging.sealing import Sealer
from bot.services.messaging.send_budget import lock_key
from bot.services.messaging.workers import Presence
from bot.services.schedule.quiet import QUIET_KINDS, QuietHours

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
MAX_PAGE_ATTEMPTS = 4  # 2 + 4 + 8 s of retries, then the chain moves on rather than wait on a dead channel
BATCH = 50
CLAIM_TIMEOUT = timedelta(minutes=2)  # a live worker's claim this old is stuck: taken over too
WAIT = 1.0  # seconds run_once waits for the sends it started (the rest go on in the background)
IN_FLIGHT = 400  # rows in flight at which run_once stops claiming more
STALE_CHECK_EVERY = timedelta(seconds=2)  # rows of a worker that died: looked for this often, not on every claim


def backoff(attempts: int) -> timedelta:
    """2, 4, 8 … seconds, at most 10 minutes."""
    return timedelta(seconds=min(2 ** attempts, 600))


class DeliveryWorker:
    """Delivers what is due; safe to run in several processes (rows are claimed before sending)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], channels: Mapping[str, Channel],
                 sealer: Sealer, quiet: QuietHours | None = None) -> None:
        self._sessions = sessions
        self._channels = channels
        self._sealer = sealer
        self._quiet = quiet
        self._lock = asyncio.Lock()
        self._next_stale_check: datetime | None = None
        self.presence = Presence(sessions)
        self._unfinished: dict[int, Hashable] = {}  # rows claimed and not finished: the database went away
        self._paused = False  # the database stopped answering during this run's deliveries
        self._lanes = Lanes()

    async def run_once(self, now: datetime | None = None) -> int:
        """Claim every row due now and start its delivery; return how many were started.

        Each row goes in its recipient's lane (lanes.py): one hung call holds up only the rows to the
        same recipient. This waits at most WAIT for the sends it started (a fast channel has answered
        by then); the rest finish in the background. Claims batch after batch until one comes back
        short (rows queued meanwhile come with their own kick, or the next tick) or IN_FLIGHT rows are
        in flight.
        """
        started: list[asyncio.Task[None]] = []
        async with self._lock:
            await self.presence.beat()
            self._paused = False
            if self._unfinished:  # ours already: delivered now, not after the claim timeout
                kept, self._unfinished = self._unfinished, {}
                started += self._start(list(kept.items()))
            while True:
                claimed, full = await self._claim(now or utcnow())
                batch = self._start(claimed)
                started += batch
                if not full or self._paused or len(self._lanes.in_flight) >= IN_FLIGHT:
                    break
                await asyncio.wait(batch, timeout=WAIT)  # a backlog is taken a batch at a time
        if started:
            await asyncio.wait(started, timeout=WAIT)
        return len(started)

    async def drain(self) -> None:
        """Wait for every delivery in flight (a hung call until its channel's timeout)."""
        await self._lanes.drain()

    def _start(self, claimed: list[tuple[int, Hashable]]) -> list[asyncio.Task[None]]:
        me = self.presence.id
        return [self._lanes.add(lane, row_id, partial(self._deliver_one, claimer=me, lane=lane))
                for row_id, lane in claimed if row_id not in self._lanes.in_flight]

    async def _deliver_one(self, row_id: int, claimer: int | None, lane: Hashable) -> None:
        """Deliver one claimed row; when the database stops answering, keep it (and the rows after it)
        for the next run rather than each waiting for the database in turn."""
        if self._paused:
            self._unfinished[row_id] = lane
            return
        try:
            await self._deliver(row_id, claimer)
        except Exception as exc:  # one bad row must not stop the others
            if unavailable(exc):
                if not self._paused:
                    log.warning("delivery paused: the database is unavailable (%s); rows kept for the next run",
                                type(exc).__name__)
                self._paused = True
                self._unfinished[row_id] = lane
                return
            log.exception("delivery of outbox row %s failed", row_id)

    async def _claim(self, now: datetime) -> tuple[list[tuple[int, Hashable]], bool]:
        """Claim up to a batch of due rows: their ids and lanes (less any held for quiet hours), and
        whether the batch was full."""
        async with self._sessions() as session, session.begin():
            me = self.presence.id or await self.presence.ensure(session, now)  # registered by beat()
            # Two range scans of the (state, due_at) index: due rows, and now and then rows whose worker
            # is gone (or whose claim is older than the claim timeout). One OR would scan the table.
            rows = list((await session.execute(
                select(OutboxMessage)
                .where(OutboxMessage.state == "pending", OutboxMessage.due_at <= now)
                .order_by(OutboxMessage.priority.desc(), OutboxMessage.due_at, OutboxMessage.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )).scalars())
            if len(rows) < BATCH and self._stale_check_due(now):
                live = await self.presence.live_ids(session, now)
                rows += (await session.execute(
                    select(OutboxMessage)
                    .where(OutboxMessage.state == "sending",
                           OutboxMessage.claimed_by.is_(None) | OutboxMessage.claimed_by.not_in(live)
                           | (OutboxMessage.due_at <= now - CLAIM_TIMEOUT))
                    .order_by(OutboxMessage.due_at, OutboxMessage.id)
                    .limit(BATCH - len(rows))
                    .with_for_update(skip_locked=True)
                )).scalars().all()
            full = len(rows) == BATCH
            rows = await fold_flooded(session=session, rows=rows)
            held = await self._held_for_quiet_hours(session, rows, now)
            send: list[OutboxMessage] = []
            limited: dict[tuple[str, str], list[OutboxMessage]] = {}
            for row in rows:
                if row.id in held:  # pending again (a row taken over from a gone worker was `sending`)
                    row.state, row.due_at = "pending", held[row.id]
                elif self._per_minute(row.channel) and row.channel and row.address is not None:
                    limited.setdefault((row.channel, row.address), []).append(row)
                else:
                    send.append(row)
            for channel, address in sorted(limited, key=lambda k: lock_key(*k)):  # one lock order for all
                send += await paced(session=session, channel=channel, address=address, rows=limited[channel, address],
                                    per_minute=self._per_minute(channel), now=now)
            for row in send:
                row.state, row.due_at, row.claimed_by = "sending", now, me
            return [(r.id, self._lane_of(r)) for r in send], full

    def _lane_of(self, row: OutboxMessage) -> Hashable:
        """Whose lane a row goes in: its recipient (opened here for a reply sealed with its address)."""
        if row.address is not None:
            return row.channel, row.address
        if row.thread_id is not None:
            return "thread", row.thread_id
        if row.sealed is not None:
            opened = self._sealer.unseal_json(row.sealed)
            if isinstance(opened, dict):
                return str(opened.get("channel")), str(opened.get("address"))
        return "row", row.id

    def _per_minute(self, channel_name: str | None) -> int:
        """The channel's limit of sends to one person a minute (0: none), counted for every worker."""
        return int(getattr(self._channels.get(channel_name or ""), "per_person_per_minute", 0) or 0)

    def _stale_check_due(self, now: datetime) -> bool:
        if self._next_stale_check is not None and now < self._next_stale_check:
            return False
        self._next_stale_check = now + STALE_CHECK_EVERY
        return True

    async def _held_for_quiet_hours(self, session: AsyncSession, rows, now: datetime) -> dict[int, datetime]:
        """Rows not to send now: non-urgent pushes to students in quiet hours, with when to send them."""
        if self._quiet is None or not self._quiet.holds(now):
            return {}
        quiet_rows = [r for r in rows if r.kind in QUIET_KINDS]
        ids = {r.person_id for r in quiet_rows if r.person_id is not None}
        staff = set()
        if ids:
            for person in (await session.execute(select(Person).where(Person.id.in_(ids)))).scalars():
                if person.role_set & STAFF_ROLES:
                    staff.add(person.id)
        release = self._quiet.release(now)
        return {r.id: release for r in quiet_rows if r.person_id not in staff or r.thread_id is not None}

    async def _deliver(self, row_id: int, claimer: int | None = None) -> None:
        """Read the claimed row, send, record the result.

        A channel that stores into our own database (the web chat) writes in the same transaction that
        marks the row sent: exactly once, even if the process dies. Any other channel is called with
        no transaction open; a crash between its answer and the record means the row is claimed again
        as soon as a live worker sees this one gone (at least once, as every messaging API is).
        """
        async with self._lanes.database, self._sessions() as session, session.begin():
            row = await session.get(OutboxMessage, row_id)
            if row is None or row.state != "sending" or (claimer is not None and row.claimed_by != claimer):
                return  # sent meanwhile, or taken over by another worker while it waited in its lane
            channel_name, address, failure = row.channel, row.address, None
            text, options = row.text, list(row.options)
            if row.sealed is not None:  # a reply to someone's own message: everything of it is sealed
                opened = self._sealer.unseal_json(row.sealed)
                if not isinstance(opened, dict):
                    failure = Delivery(ok=False, error="sealed with another key")
                else:
                    channel_name, address = str(opened["channel"]), str(opened["address"])
                    text, options = str(opened["text"]), [str(o) for o in opened["options"]]
            elif row.thread_id is not None:
                unsealed = await unseal_address(session=session, thread_id=row.thread_id, sealer=self._sealer)
                if unsealed is None:
                    failure = Delivery(ok=False, error="no sealed address")
                else:
                    channel_name, address = unsealed
            push = Outbound(address=address or "", kind=row.kind, text=text, options=options, case_id=row.case_id,
                        thread_id=row.thread_id)
            channel = self._channels.get(channel_name or "")
            if failure is None and (channel is None or address is None):
                failure = Delivery(ok=False, error=f"channel {channel_name} is off")
            local = isinstance(channel, LocalChannel)
            if failure is not None or local:
                result = failure or await cast(LocalChannel, channel).write(session, push)
                await self._record(session, row, result, channel_name, address)
                return
        try:
            assert channel is not None and channel_name is not None
            async with self._lanes.channel(channel_name):
                result = await channel.send(push)
        except Exception as exc:  # a channel bug or a network error: retry later
            result = Delivery(ok=False, retry_after=0, error=type(exc).__name__)
        async with self._lanes.database, self._sessions() as session, session.begin():
            row = await session.get(OutboxMessage, row_id)
            if row is not None and row.state == "sending":
                await self._record(session, row, result, channel_name, address)

    async def _record(self, session: AsyncSession, row: OutboxMessage, result: Delivery,
                      channel_name: str | None, address: str | None) -> None:
        self._finish(row, result)
        if result.window_closed and channel_name and address:  # released when they write again
            await mark_held(session=session, channel=channel_name, address=address, sealer=self._sealer)
        if row.state not in ("sent", "undeliverable"):
            return
        carried = [row]
        if row.kind == "digest":  # the pages it carried take its outcome
            carried = list((await session.execute(select(OutboxMessage).where(
                OutboxMessage.merged_into == row.id, OutboxMessage.state == "merged"))).scalars())
            for page in carried:
                page.state, page.sent_at, page.last_error = row.state, row.sent_at, row.last_error
        for page in carried:
            if page.case_id is not None and page.kind == "page":
                add_event(session=session, case=page.case_id, kind="delivery",
                          detail={"channel": channel_name, "state": page.state, "error": page.last_error,
                                  "person_id": page.person_id, "digest": row.id if page is not row else None})
                await page_delivered(session=session, row=page, now=utcnow())

    def _finish(self, row: OutboxMessage, result: Delivery) -> None:
        now = utcnow()
        if result.deferred:  # queued behind a send limit: wait, without counting an attempt
            row.state, row.due_at = "pending", now + timedelta(seconds=result.retry_after or 1)
            return
        row.attempts += 1
        if result.ok:
            row.state, row.sent_at, row.last_error = "sent", now, None
            if row.kind == "reply" and (row.address is not None or row.sealed is not None):
                # A reply to someone's own message (Telegram's come this way) may carry their note's
                # thread code: once sent, neither it nor the sealed address is kept (the row stays, for
                # de-duplication; the message's record keeps the replies sealed).
                row.text, row.options, row.sealed = "", [], None
            return
        row.last_error = result.error[:500]
        if result.window_closed:  # held until the person writes again (outbox.release_held)
            row.state, row.last_error = "undeliverable", f"{WINDOW_CLOSED}: {result.error}"[:500]
            return
        limit = MAX_PAGE_ATTEMPTS if row.kind == "page" else MAX_ATTEMPTS
        if result.permanent or row.attempts >= limit:
            row.state, row.sealed = "undeliverable", None  # never to be sent: nothing of it is kept
            log.warning("outbox row %s undeliverable: %s", row.id, result.error)
            return
        wait = timedelta(seconds=result.retry_after) if result.retry_after else backoff(row.attempts)
        row.state, row.due_at = "pending", now + wait

