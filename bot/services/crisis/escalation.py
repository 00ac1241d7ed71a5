"""Escalation chains: every urgent case ends with a named person saying "I have it".

Each case's chain is one Escalation row with a due time. The tick claims due rows, fires the step
(pages queued in the outbox in the same transaction) and moves the due time on. A version check
makes each claim exactly-once across processes; PostgreSQL's SKIP LOCKED spares the waiting.
The entry points are here; the states and transitions are escalation_machine.py's, every knob
(waits, the acknowledgement timeout, the auditor's 60 s, the fallback) escalation_policy.py's.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import Case, Escalation, Page, Person
from bot.services.crisis import escalation_machine as machine
from bot.services.crisis import policies
from bot.services.crisis.cases import add_event
from bot.services.crisis.escalation_machine import LIVE, EscalationState
from bot.services.crisis.escalation_policy import AUDIT_LATE, BATCH
from bot.services.crisis.paging import page_person, page_text
from bot.services.messaging import outbox
from bot.services.messaging.due_rows import advance_each, claim
from bot.texts import paging as paging_texts

log = logging.getLogger(__name__)


async def live_escalation(*, session: AsyncSession, case_id: int) -> Escalation | None:
    """The case's running chain, if any."""
    return (await session.execute(select(Escalation).where(
        Escalation.case_id == case_id, Escalation.state.in_(LIVE)).order_by(Escalation.id.desc()).limit(1)
    )).scalar_one_or_none()


async def start(*, session: AsyncSession, case: Case, summary: str, zone: ZoneInfo,
                now: datetime | None = None, new_case: bool = False) -> Escalation:
    """Start the case's chain under the current policy for its level and fire its first step.

    The first step goes out in the same transaction as the message that raised it (so its pages
    leave the moment that commits), inside a savepoint: if paging fails, the message, its case and
    the sender's crisis reply still commit, and the tick fires the step, which is already due.
    A case opened in this transaction (new_case) has no earlier chain to supersede.
    """
    now = now or utcnow()
    if not new_case:
        await machine.supersede(session=session, case_id=case.id, now=now)
    policy = await policies.current(session=session, school_id=case.school_id, level=case.level)
    esc = await machine.begin(session=session, case=case, policy=policy, summary=summary, now=now)
    try:
        async with session.begin_nested():
            await machine.fire_step(session=session, case=case, esc=esc, zone=zone, now=now)
    except Exception:  # the tick will retry the step; the sender's reply must not depend on it
        log.exception("first step of escalation %s failed; left due for the tick", esc.id)
    return esc


async def on_urgent(*, session: AsyncSession, case: Case, level_rose: bool, summary: str, zone: ZoneInfo,
                    now: datetime | None = None) -> None:
    """React to an urgent message on a case: start a chain, or tell the holder when the level rose."""
    now = now or utcnow()
    if case.acknowledged_by_id is None:
        if level_rose or await live_escalation(session=session, case_id=case.id) is None:
            await start(session=session, case=case, summary=summary, zone=zone, now=now)
        return
    if not level_rose:
        return
    holder = await session.get(Person, case.acknowledged_by_id)
    if holder is not None:
        text = await page_text(session=session, case=case, summary=summary, reason="level_raised")
        await page_person(session=session, case=case, person=holder, text=text, reason="level_raised", now=now)
    await machine.acknowledge(session=session, case=case, now=now,
                              esc=await live_escalation(session=session, case_id=case.id))


async def acknowledged(*, session: AsyncSession, case: Case, person: Person, now: datetime | None = None) -> None:
    """The first acknowledgement: stop the chain and tell everyone else who was paged who took it."""
    now = now or utcnow()
    await machine.acknowledge(session=session, case=case, now=now,
                              esc=await live_escalation(session=session, case_id=case.id))
    paged = (await session.execute(select(Page.person_id).where(Page.case_id == case.id).distinct())).scalars()
    for other_id in sorted(set(paged) - {person.id}):
        await outbox.to_person(session=session, person_id=other_id, kind="notice", case_id=case.id,
                               text=paging_texts.TAKEN_NOTICE.format(case_id=case.id, name=person.name),
                               priority=outbox.PRIORITY_PAGE, due_at=now)


async def advance(*, session: AsyncSession, escalation_id: int, zone: ZoneInfo, now: datetime) -> bool:
    """Fire one due escalation exactly once; False when it was not due or another process took it."""
    esc = await claim(session=session, model=Escalation, row_id=escalation_id, now=now,
                      live=lambda e: e.state in LIVE)
    if esc is None:
        return False
    case = await session.get(Case, esc.case_id)
    assert case is not None and esc.next_due_at is not None
    if now - esc.next_due_at > AUDIT_LATE:
        esc.late_since = esc.late_since or now
        add_event(session=session, case=case, kind="escalation_late", now=now,
                  detail={"escalation": esc.id, "due": esc.next_due_at.isoformat()})
        log.error("escalation %s of case %s fired %ds late", esc.id, case.id, (now - esc.next_due_at).total_seconds())
    esc.updated_at = now
    if case.status == "closed":
        machine.finish(esc=esc)
    elif esc.state == EscalationState.ACKNOWLEDGED or case.acknowledged_by_id is not None:
        if esc.state != EscalationState.ACKNOWLEDGED:
            machine.hold(esc=esc)
        await machine.ack_timed_out(session=session, case=case, esc=esc, now=now)
    elif esc.step_index >= len(esc.steps) and esc.repeat_every:
        await machine.repeat_round(session=session, case=case, esc=esc, zone=zone, now=now)
    else:
        await machine.fire_step(session=session, case=case, esc=esc, zone=zone, now=now)
    return True


def _advancing(zone: ZoneInfo, now: datetime) -> Callable[[AsyncSession, int], Awaitable[bool]]:
    async def step(session: AsyncSession, escalation_id: int) -> bool:
        return await advance(session=session, escalation_id=escalation_id, zone=zone, now=now)

    return step


async def run_due(*, sessions: async_sessionmaker[AsyncSession], zone: ZoneInfo,
                  now: datetime | None = None) -> int:
    """Fire every due escalation step, each in its own transaction; return how many fired."""
    fired = 0
    while True:
        at = now or utcnow()
        async with sessions() as session:
            ids = list((await session.execute(select(Escalation.id).where(
                Escalation.state.in_(LIVE), Escalation.next_due_at <= at).order_by(Escalation.next_due_at)
                .limit(BATCH))).scalars())
        if not ids:
            return fired
        progressed = await advance_each(sessions=sessions, ids=ids, what="escalation",
                                        advance=_advancing(zone, at))
        fired += progressed
        if progressed == 0 or len(ids) < BATCH:
            return fired


async def overdue(*, session: AsyncSession, now: datetime | None = None) -> list[Escalation]:
    """Live escalations whose next step is more than 60 s overdue."""
    limit = (now or utcnow()) - AUDIT_LATE
    return list((await session.execute(select(Escalation).where(
        Escalation.state.in_(LIVE), Escalation.next_due_at < limit))).scalars())


async def audit(*, sessions: async_sessionmaker[AsyncSession], zone: ZoneInfo, now: datetime | None = None) -> int:
    """The auditor: fire every overdue step (flagged late, logged as an error); return how many."""
    now = now or utcnow()
    async with sessions() as session:
        late = [e.id for e in await overdue(session=session, now=now)]
    for esc_id in late:
        log.error("auditor: escalation %s is overdue; firing it", esc_id)
    await advance_each(sessions=sessions, ids=late, what="overdue escalation", advance=_advancing(zone, now))
    return len(late)


async def late_case_ids(*, session: AsyncSession) -> set[int]:
    """Cases whose chain has ever fired a step more than 60 s late (flagged for the school's review)."""
    return set((await session.execute(select(Escalation.case_id).where(Escalation.late_since.is_not(None)))).scalars())
