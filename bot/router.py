"""Inbound -> conversation state -> handler step -> saved state; the replies go back to the channel.

One transaction per inbound message: de-duplicate, load state, run the step, save, queue the replies
of a channel that cannot answer inline (Telegram), commit. A sender's messages take that turn one at a
time, waiting before they take a connection (services/messaging/sender_locks.py). Crisis
text outside a step that files it is caught here and filed at once; after a crisis message the
resources stay under every reply for a day, and a "just kidding" is checked once more. What the router
keeps of a conversation between messages (the options shown, the note thread, the crisis case) is read
and written by bot/conversation_memory.py.

When the database does not answer within settings.database_wait_seconds (triage's own time not
counted: bot/db/bound.py), the message is appended
to the outage spool (services/spool.py) and answered with fixed text (handlers/outage.py): the
crisis text for red and orange. The clock replays the spool once the database is back: each message
handled as if it had just arrived, at its original time, its replies pushed to the sender.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.conversation_memory import recall, remember, stored_replies, with_footer
from bot.db.base import utcnow
from bot.db.bound import bounded, uncounted
from bot.db.engine import unavailable
from bot.db.models import Case
from bot.events import Inbound, Reply
from bot.services.crisis.cases import add_event
from bot.services.messaging import outbox
from bot.services.messaging.conversations import load_conversation, save_conversation
from bot.services.messaging.inbound import previous_replies, record_inbound
from bot.services.messaging.sealing import Sealer
from bot.services.messaging.sender_locks import SenderLocks
from bot.services.messaging.spool import Spool, Spooled
from bot.services.school.people import find_identity
from bot.texts import crisis as crisis_texts
from bot.texts.menu import OPT_HOTLINE, OPT_MAILBOX
from handlers import crisis, outage
from handlers.base import Context, Flow, Result, State
from keywords import Triager, Verdict

log = logging.getLogger(__name__)
Guard = Callable[[AsyncSession], Awaitable[None]]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Router:
    """Routes inbound messages to the registered flows."""

    def __init__(self, *, flows: Sequence[Flow], sessions: async_sessionmaker[AsyncSession], settings: Settings,
                 sealer: Sealer, triager: Triager, school_id: Callable[[], int],
                 after_commit: Callable[[], Awaitable[None]] | None = None, spool: Spool | None = None) -> None:
        self._flows = list(flows)
        self._steps = {state: step for flow in flows for state, step in flow.steps.items()}
        self._files_text = frozenset().union(*(flow.files_text for flow in flows))
        self._sessions = sessions
        self._settings = settings
        self._sealer = sealer
        self._triager = triager
        self._school_id = school_id
        self._after_commit = after_commit
        self._spool = spool
        self._queued: set[str] = set()
        self._senders = SenderLocks()

    def queue_replies_to(self, channel: str) -> None:
        """Queue the replies to this channel's messages in their own transaction (it cannot answer inline)."""
        self._queued.add(channel)

    @property
    def sealer(self) -> Sealer:
        """The server key's sealer (a channel's replay check looks up the keyed record of a message)."""
        return self._sealer

    async def handle(self, inbound: Inbound, guard: Guard | None = None) -> list[Reply]:
        """Handle one message exactly once and return the replies the channel must show the sender itself.

        That is every reply on a channel that answers within the request; on one whose replies are
        queued (queue_replies_to), only the fixed answer given while the database is away.
        guard runs first in the message's transaction (a channel's replay check): if it raises,
        nothing is written. When the database does not answer in time the message is spooled.
        """
        async with self._turn(inbound):  # waiting for the sender's earlier messages is not the database's time
            if self._spool is None:
                replies = await self._handle(inbound, guard)
            else:
                try:
                    replies = await bounded(self._handle(inbound, guard), self._settings.database_wait_seconds)
                except Exception as exc:
                    if not unavailable(exc):
                        raise
                    log.warning("database unavailable (%s): %s message spooled", type(exc).__name__,
                                inbound.channel)
                    return self._spooled(inbound)
        return [] if inbound.channel in self._queued else replies

    def _turn(self, inbound: Inbound) -> AbstractAsyncContextManager[None]:
        """The sender's turn (sender_locks.py): one message of a sender at a time, before any connection."""
        return self._senders.hold(self._sealer.keyed("turn", inbound.channel, inbound.sender))

    def _triage(self, text: str) -> Verdict:
        """Triage text; the time it takes does not count against the database's bound."""
        return uncounted(self._triager.triage, text)

    async def say(self, *, channel: str, address: str, replies: Sequence[Reply], ref: str) -> list[Reply]:
        """Queue fixed replies outside a conversation (an answer to a photo); ref makes it idempotent.

        Returns the replies for the channel to send itself when the database is away, else none.
        """
        try:
            async with self._sessions() as session, session.begin():
                await self._queue(session, channel, address, replies, ref)
        except Exception as exc:
            if not unavailable(exc):
                raise
            return list(replies)
        if self._after_commit is not None:
            await self._after_commit()
        return []

    async def _queue(self, session: AsyncSession, channel: str, address: str, replies: Sequence[Reply],
                     ref: str) -> None:
        if replies:
            await outbox.replies_to(session=session, channel=channel, address=address,
                                    texts=[(r.text, list(r.options)) for r in replies], ref=ref, sealer=self._sealer)
            session.info[outbox.QUEUED] = True

    def _spooled(self, inbound: Inbound) -> list[Reply]:
        """Keep the message in the spool and answer with fixed text (the crisis text when urgent)."""
        assert self._spool is not None
        verdict = self._triager.triage(_CONTROL.sub("", inbound.choice or inbound.text or ""))
        try:
            self._spool.append(Spooled(inbound=inbound, at=utcnow(), level=verdict.level))
        except OSError:  # the disk refuses too: the sender still gets the resources
            log.exception("could not spool a %s message (level %s)", inbound.channel, verdict.level)
        return [outage.reply(verdict.level, self._settings)]

    async def replay(self, message: Spooled) -> None:
        """Handle a spooled message as if it had just arrived at its original time; push its replies."""
        try:
            async with self._turn(message.inbound):
                _replies, queued = await bounded(
                    self._handle_once(message.inbound, None, at=message.at, push=True),
                    self._settings.database_wait_seconds * 3)
        except IntegrityError:
            return  # the platform's retry of the same message was handled at the same moment: it is done
        if self._after_commit is not None and queued:
            await self._after_commit()

    async def _handle(self, inbound: Inbound, guard: Guard | None) -> list[Reply]:
        for attempt in (1, 2):
            try:
                replies, queued = await self._handle_once(inbound, guard)
                break
            except IntegrityError:
                # The same message arrived twice at once: the other copy won; give its replies.
                async with self._sessions() as session:
                    prev = await previous_replies(session=session, channel=inbound.channel, key=inbound.raw_id,
                                                  sealer=self._sealer)
                if prev is not None:
                    return stored_replies(prev)
                if attempt == 2:
                    raise
                # Another first message from the same sender created the conversation meanwhile:
                # nothing of ours was written; handle it again, now that the conversation exists.
        if self._after_commit is not None and queued:
            await self._after_commit()  # something was queued for delivery: send it now
        return replies

    async def _handle_once(self, inbound: Inbound, guard: Guard | None, at: datetime | None = None,
                           push: bool = False) -> tuple[list[Reply], bool]:
        """The replies, and whether the transaction queued anything to deliver.

        at: when the message arrived (a spooled one); push: queue the replies to the sender too.
        """
        now = at or utcnow()
        async with self._sessions() as session, session.begin():
            session.info[outbox.QUEUED] = False
            if guard is not None:
                await guard(session)
            prev = await previous_replies(session=session, channel=inbound.channel, key=inbound.raw_id,
                                          sealer=self._sealer)
            if prev is not None:
                return stored_replies(prev), False
            idle = timedelta(minutes=self._settings.conversation_timeout_minutes)
            conv = await load_conversation(session=session, channel=inbound.channel, external_id=inbound.sender,
                                           now=now, sealer=self._sealer)
            old_state = conv.state
            if conv.held:  # the sender is reachable again: what their platform held back goes out now
                await outbox.release_held(session=session, channel=inbound.channel, address=inbound.sender, now=now,
                                          sealer=self._sealer)
                conv.held = False
            who = await find_identity(session=session, channel=inbound.channel, external_id=inbound.sender)
            memory = recall(conv.data, now=now, idle=idle)
            text = memory.pick_numbered(_CONTROL.sub("", inbound.choice or inbound.text or ""))
            # A button's own words (言语中提到死亡或自伤) are a choice, not the sender's message.
            verdict = Verdict("none") if text.strip() in memory.shown else self._triage(text)
            ctx = Context(
                session=session, inbound=inbound, text=text, who=who, data=memory.flow_data,
                verdict=verdict, settings=self._settings, sealer=self._sealer,
                school_id=who.person.school_id if who else self._school_id(), now=now,
                triage=self._triage, note_thread=memory.note_thread,
            )
            denial = conv.crisis_at is not None and not verdict.urgent and bool(crisis.DENIAL.search(text))
            if denial and old_state == State.MENU.value and ctx.note_thread is None:
                result = Result([], State.MENU)
            else:
                result = await self._dispatch(ctx, old_state)
            replies = list(result.replies)
            crisis_case = memory.crisis_case
            if result.crisis_level:
                conv.crisis_level, conv.crisis_at = result.crisis_level, now
                crisis_case = result.crisis_case or crisis_case
            elif conv.crisis_at is not None:
                if denial:
                    replies.insert(0, Reply(crisis_texts.DENIAL_CHECK, (OPT_HOTLINE, OPT_MAILBOX)))
                    case = await session.get(Case, crisis_case) if crisis_case else None
                    if case is not None:
                        add_event(session=session, case=case, kind="sender_denied", now=now)
                replies = with_footer(replies, crisis.footer(self._settings))
            new_data = remember(memory, result, replies, now=now,
                                crisis_case=crisis_case if conv.crisis_at is not None else None)
            await record_inbound(session=session, channel=inbound.channel, key=inbound.raw_id,
                                 replies=[r.as_dict() for r in replies], sealer=self._sealer, now=now)
            if push:
                await self._push_replayed(session, inbound, replies, crisis_case if result.crisis_level else None)
            elif inbound.channel in self._queued:  # one transaction: a crash cannot keep the state and lose these
                await self._queue(session, inbound.channel, inbound.sender, replies,
                                  f"{inbound.channel}:{inbound.raw_id}")
            conv.state, conv.data, conv.updated_at = result.state.value, new_data, now
            await save_conversation(session=session, conv=conv, sealer=self._sealer, idle=idle)
            log.info("handled a %s message: %s -> %s, level %s", inbound.channel, old_state,
                     result.state.value, ctx.verdict.level)
            queued = bool(session.info.get(outbox.QUEUED))
        return replies, queued

    async def _push_replayed(self, session: AsyncSession, inbound: Inbound, replies: list[Reply],
                             case_id: int | None) -> None:
        """A replayed message's replies go to the sender; its case's timeline says it waited in the spool."""
        ref = "spool:" + self._sealer.keyed("spool", inbound.channel, inbound.raw_id)[:32]  # names no sender
        await self._queue(session, inbound.channel, inbound.sender, replies, ref)
        if case_id:
            add_event(session=session, case=case_id, kind="replayed_from_spool")  # at: now, when it was filed

    async def _dispatch(self, ctx: Context, state_name: str) -> Result:
        for flow in self._flows:
            for command in flow.commands:
                if command.staff_only and not ctx.handles_cases:
                    continue
                m = command.pattern.match(ctx.text)
                if m:
                    return await command.run(ctx, m)
        try:
            state = State(state_name)
        except ValueError:
            state = State.MENU
        if ctx.verdict.urgent and state not in self._files_text:
            return await crisis.intercept(ctx)
        return await self._steps[state](ctx)

