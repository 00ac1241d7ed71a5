"""Escalation chains: every urgent case ends with a named person saying "I have it".

Each case's chain is one Escalation row with a due time. The tick claims due rows, fires the step
(pages queued in the outbox in the same transaction) and moves the due time on. A version check
makes each claim exactly-once across processes; PostgreSQL's SKIP LOCKED spares the waiting.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import Case, Escalation, Page, Person
from bot.services.crisis import policies
from bot.services.crisis.cases import add_event
from bot.services.crisis.fallback import after_last_step, page_everyone
from bot.services.crisis.paging import ACK_TIMEOUT_TEXT, TAKEN_NOTICE, excerpt, page_all, page_person, page_text
from bot.services.crisis.roster import Roster, staff_with_role
from bot.services.messaging import outbox
from bot.services.messaging.due_rows import advance_each, claim

log = logging.getLogger(__name__)
LIVE = ("active", "acknowledged")
ACK_TIMEOUT = timedelta(minutes=30)  # an acknowledged red case with no progress re-pages its holder
LATE = timedelta(seconds=60)
BATCH = 100


async def live_escalation(*, session: AsyncSession, case_id: int) -> Escalation | None:
    """The case's running chain, if any."""
    return (await session.execute(select(Escalation).where(
        Escalation.case_id == case_id, Escalation.state.in_(LIVE)).order_by(Escalation.id.desc()).limit(1)
    )).scalar_one_or_none()


async def _end_live(*, session: AsyncSession, case_id: int, state: str, now: datetime) -> None:
    await session.execute(update(Escalation).where(Escalation.case_id == case_id, Escalation.state.in_(LIVE))
                          .values(state=state, next_due_at=None, version=Escalation.version + 1, updated_at=now))


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
        await _end_live(session=session, case_id=case.id, state="superseded", now=now)
    policy = await policies.current(session=session, school_id=case.school_id, level=case.level)
    esc = Escalation(case_id=case.id, level=case.level, steps=policy.steps_json(), repeat_every=policy.repeat_every,
                     summary=excerpt(summary, 190), state="active", next_due_at=now, created_at=now, updated_at=now)
    session.add(esc)
    await session.flush()
    add_event(session=session, case=case, kind="escalation_started", now=now,
              detail={"escalation": esc.id, "level": case.level, "policy": policy.describe()})
    try:
        async with session.begin_nested():
            await _fire_steps(session=session, case=case, esc=esc, zone=zone, now=now)
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
    await _watch_acknowledged(session=session, case=case, now=now)


async def _watch_acknowledged(*, session: AsyncSession, case: Case, now: datetime) -> None:
    """After the first acknowledgement: red cases keep a timer for the acknowledgement timeout."""
    esc = await live_escalation(session=session, case_id=case.id)
    if case.level != "red":
        await _end_live(session=session, case_id=case.id, state="done", now=now)
        return
    if esc is None:
        esc = Escalation(case_id=case.id, level=case.level, steps=[], summary="", step_index=0, round=0, version=0,
                         created_at=now)
        session.add(esc)
    esc.state, esc.next_due_at, esc.updated_at = "acknowledged", now + ACK_TIMEOUT, now
    esc.version += 1
    await session.flush()


async def acknowledged(*, session: AsyncSession, case: Case, person: Person, now: datetime | None = None) -> None:
    """The first acknowledgement: stop the chain and tell everyone else who was paged who took it."""
    now = now or utcnow()
    await _watch_acknowledged(session=session, case=case, now=now)
    paged = (await session.execute(select(Page.person_id).where(Page.case_id == case.id).distinct())).scalars()
    for other_id in sorted(set(paged) - {person.id}):
        await outbox.to_person(session=session, person_id=other_id, kind="notice", case_id=case.id,
                               text=TAKEN_NOTICE.format(case_id=case.id, name=person.name),
                               priority=outbox.PRIORITY_PAGE, due_at=now)


async def _targets(*, session: AsyncSession, case: Case, target: str, zone: ZoneInfo,
                   now: datetime) -> tuple[list[Person], str | None]:
    """The people a step names, or none and why."""
    if target in ("on_duty", "backup"):
        duty = (await Roster.load(session=session, school_id=case.school_id, zone=zone)).at(now)
        if duty is None:
            return [], "duty_gap"
        pid = duty.person_id if target == "on_duty" else duty.backup_id
        person = await session.get(Person, pid) if pid else None
        return ([person], None) if person else ([], "no_backup")
    if target == "leaders":
        leaders = await staff_with_role(session=session, school_id=case.school_id, role="leader")
        return leaders, None if leaders else "no_leaders"
    if target == "head_teacher":
        teachers = [p for p in await staff_with_role(session=session, school_id=case.school_id, role="head_teacher")
                    if case.group_id is not None and p.group_id == case.group_id]
        return teachers, None if teachers else "no_head_teacher"
    person = (await session.execute(select(Person).where(
        Person.school_id == case.school_id, Person.name == target))).scalar_one_or_none()
    return ([person], None) if person else ([], "unknown_person")


async def _fire_steps(*, session: AsyncSession, case: Case, esc: Escalation, zone: ZoneInfo, now: datetime) -> None:
    """Fire the next step; a step that reaches nobody moves on to the following one at once."""
    while esc.step_index < len(esc.steps):
        step = esc.steps[esc.step_index]
        people, why = await _targets(session=session, case=case, target=step["target"], zone=zone, now=now)
        if why:
            add_event(session=session, case=case, kind=why, now=now,
                      detail={"target": step["target"], "step": esc.step_index})
        reached = await page_all(session=session, case=case, esc=esc, people=people, reason="step", now=now)
        esc.step_index += 1
        if reached:
            esc.next_due_at = now + timedelta(seconds=int(step["wait"]))
            return
    if esc.round == 0:
        await after_last_step(session=session, case=case, esc=esc, now=now)
    if esc.repeat_every:
        esc.next_due_at = now + timedelta(seconds=esc.repeat_every)
    else:
        esc.state, esc.next_due_at = "exhausted", None
        add_event(session=session, case=case, kind="escalation_exhausted", now=now, detail={"escalation": esc.id})
        log.error("escalation %s of case %s ended with nobody acknowledging", esc.id, case.id)


async def _repeat(*, session: AsyncSession, case: Case, esc: Escalation, zone: ZoneInfo, now: datetime) -> None:
    """After the last step: page every target of the chain again, every repeat interval, until acknowledged."""
    if esc.round == 0:
        await after_last_step(session=session, case=case, esc=esc, now=now)
    esc.round += 1
    people: dict[int, Person] = {}
    for step in esc.steps:
        for person in (await _targets(session=session, case=case, target=step["target"], zone=zone, now=now))[0]:
            people.setdefault(person.id, person)
    if not await page_all(session=session, case=case, esc=esc, people=list(people.values()), reason="repeat",
                          now=now):
        await page_everyone(session=session, case=case, esc=esc, now=now)
    assert esc.repeat_every
    esc.next_due_at = now + timedelta(seconds=esc.repeat_every)


async def _ack_timeout(*, session: AsyncSession, case: Case, esc: Escalation, now: datetime) -> None:
    """An acknowledged red case with no note or status change for 30 minutes re-pages its holder."""
    if case.status != "acknowledged" or case.level != "red" or case.acknowledged_by_id is None:
        esc.state, esc.next_due_at = "done", None
        return
    quiet_until = case.updated_at + ACK_TIMEOUT
    if quiet_until > now:
        esc.next_due_at = quiet_until
        return
    holder = await session.get(Person, case.acknowledged_by_id)
    if holder is not None:
        minutes = int((now - case.updated_at).total_seconds() // 60)
        await page_person(session=session, case=case, person=holder, reason="ack_timeout", escalation=esc, now=now,
                          text=ACK_TIMEOUT_TEXT.format(case_id=case.id, minutes=minutes))
    esc.next_due_at = now + ACK_TIMEOUT


async def advance(*, session: AsyncSession, escalation_id: int, zone: ZoneInfo, now: datetime) -> bool:
    """Fire one due escalation exactly once; False when it was not due or another process took it."""
    esc = await claim(session=session, model=Escalation, row_id=escalation_id, now=now,
                      live=lambda e: e.state in LIVE)
    if esc is None:
        return False
    case = await session.get(Case, esc.case_id)
    assert case is not None and esc.next_due_at is not None
    if now - esc.next_due_at > LATE:
        esc.late_since = esc.late_since or now
        add_event(session=session, case=case, kind="escalation_late", now=now,
                  detail={"escalation": esc.id, "due": esc.next_due_at.isoformat()})
        log.error("escalation %s of case %s fired %ds late", esc.id, case.id, (now - esc.next_due_at).total_seconds())
    esc.updated_at = now
    if case.status == "closed":
        esc.state, esc.next_due_at = "done", None
    elif esc.state == "acknowledged" or case.acknowledged_by_id is not None:
        esc.state = "acknowledged"
        await _ack_timeout(session=session, case=case, esc=esc, now=now)
    elif esc.step_index < len(esc.steps):
        await _fire_steps(session=session, case=case, esc=esc, zone=zone, now=now)
    elif esc.repeat_every:
        await _repeat(session=session, case=case, esc=esc, zone=zone, now=now)
    else:
        await _fire_steps(session=session, case=case, esc=esc, zone=zone, now=now)
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
    limit = (now or utcnow()) - LATE
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
