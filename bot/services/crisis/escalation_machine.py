"""The escalation state machine: the states of a chain and one function per transition.

    begin ──▶ ACTIVE ──fire_step──▶ ACTIVE (next step due after its wait; a step reaching nobody: the next one)
                 │  ──last step done, nobody reached──▶ chain_reached_nobody: page everyone (once per chain)
                 │  ──repeat_round──▶ ACTIVE (every target again, every repeat interval)
                 │  ──exhaust──▶ EXHAUSTED (no repeat: the chain ended with nobody acknowledging)
                 │  ──supersede──▶ SUPERSEDED (a new chain for the case: its level rose)
                 │  ──acknowledge──▶ ACKNOWLEDGED (watched levels) or DONE
    ACKNOWLEDGED ──ack_timed_out──▶ ACKNOWLEDGED (the holder re-paged after ACK_TIMEOUT without progress)
    ACTIVE, ACKNOWLEDGED ──finish──▶ DONE (the case closed, or nothing left to watch)

Each transition sets the state and the next due time and adds its line to the case's timeline; a
transition from a state it does not leave raises IllegalTransition. The knobs are escalation_policy.py's.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Case, Escalation, Page, Person
from bot.services.crisis.cases import add_event
from bot.services.crisis.escalation_policy import ACK_TIMEOUT, FALLBACK_ROLES, WATCHED_AFTER_ACK
from bot.services.crisis.paging import excerpt, page_all, page_person
from bot.services.crisis.policies import Policy
from bot.services.crisis.roster import Roster, staff_with_role
from bot.texts import paging as paging_texts

log = logging.getLogger(__name__)


class EscalationState(StrEnum):
    """Where a chain is (stored as its value in escalations.state)."""

    ACTIVE = "active"  # paging along its steps (and repeats) until someone acknowledges
    ACKNOWLEDGED = "acknowledged"  # someone has it; a watched level keeps the acknowledgement timer
    DONE = "done"  # the case closed, or acknowledged on a level that is not watched
    EXHAUSTED = "exhausted"  # every step fired, no repeat, nobody acknowledged
    SUPERSEDED = "superseded"  # replaced by a newer chain of the same case


LIVE = (EscalationState.ACTIVE, EscalationState.ACKNOWLEDGED)


class IllegalTransition(RuntimeError):
    """A transition asked of a chain in a state it does not leave."""


def _require(esc: Escalation, transition: str, *allowed: EscalationState) -> None:
    if esc.state not in allowed:
        raise IllegalTransition(f"escalation {esc.id}: {transition} from {esc.state}")


async def _end_live(*, session: AsyncSession, case_id: int, state: EscalationState, now: datetime) -> None:
    await session.execute(update(Escalation).where(Escalation.case_id == case_id, Escalation.state.in_(LIVE))
                          .values(state=state.value, next_due_at=None, version=Escalation.version + 1,
                                  updated_at=now))


async def supersede(*, session: AsyncSession, case_id: int, now: datetime) -> None:
    """Every live chain of the case -> SUPERSEDED (a new one starts)."""
    await _end_live(session=session, case_id=case_id, state=EscalationState.SUPERSEDED, now=now)


async def begin(*, session: AsyncSession, case: Case, policy: Policy, summary: str, now: datetime) -> Escalation:
    """A new chain, ACTIVE under the policy, its first step due now."""
    esc = Escalation(case_id=case.id, level=case.level, steps=policy.steps_json(), repeat_every=policy.repeat_every,
                     summary=excerpt(summary, 190), state=EscalationState.ACTIVE.value, next_due_at=now,
                     created_at=now, updated_at=now)
    session.add(esc)
    await session.flush()
    add_event(session=session, case=case, kind="escalation_started", now=now,
              detail={"escalation": esc.id, "level": case.level, "policy": policy.describe()})
    return esc


async def targets(*, session: AsyncSession, case: Case, target: str, zone: ZoneInfo,
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


async def fire_step(*, session: AsyncSession, case: Case, esc: Escalation, zone: ZoneInfo, now: datetime) -> None:
    """ACTIVE: fire the next step (one reaching nobody moves on at once); after the last, repeat or exhaust."""
    _require(esc, "fire_step", EscalationState.ACTIVE)
    while esc.step_index < len(esc.steps):
        step = esc.steps[esc.step_index]
        people, why = await targets(session=session, case=case, target=step["target"], zone=zone, now=now)
        if why:
            add_event(session=session, case=case, kind=why, now=now,
                      detail={"target": step["target"], "step": esc.step_index})
        reached = await page_all(session=session, case=case, esc=esc, people=people, reason="step", now=now)
        esc.step_index += 1
        if reached:
            esc.next_due_at = now + timedelta(seconds=int(step["wait"]))
            return
    if esc.round == 0:
        await _after_last_step(session=session, case=case, esc=esc, now=now)
    if esc.repeat_every:
        esc.next_due_at = now + timedelta(seconds=esc.repeat_every)
    else:
        exhaust(session=session, case=case, esc=esc, now=now)


async def repeat_round(*, session: AsyncSession, case: Case, esc: Escalation, zone: ZoneInfo, now: datetime) -> None:
    """ACTIVE after the last step: page every target of the chain again, every repeat interval."""
    _require(esc, "repeat_round", EscalationState.ACTIVE)
    assert esc.repeat_every
    if esc.round == 0:
        await _after_last_step(session=session, case=case, esc=esc, now=now)
    esc.round += 1
    people: dict[int, Person] = {}
    for step in esc.steps:
        for person in (await targets(session=session, case=case, target=step["target"], zone=zone, now=now))[0]:
            people.setdefault(person.id, person)
    if not await page_all(session=session, case=case, esc=esc, people=list(people.values()), reason="repeat",
                          now=now):
        await chain_reached_nobody(session=session, case=case, esc=esc, now=now)
    esc.next_due_at = now + timedelta(seconds=esc.repeat_every)


async def _anyone_reached(*, session: AsyncSession, esc: Escalation) -> bool:
    """Whether any page of the chain was delivered (reached means delivered, not queued)."""
    return (await session.execute(select(Page.id).where(
        Page.escalation_id == esc.id, Page.state == "sent").limit(1))).first() is not None


async def _after_last_step(*, session: AsyncSession, case: Case, esc: Escalation, now: datetime) -> None:
    """The last step is done (its wait over, or no step could queue a page): nobody reached -> page everyone."""
    if esc.fallback_at is None and not await _anyone_reached(session=session, esc=esc):
        await chain_reached_nobody(session=session, case=case, esc=esc, now=now)


async def chain_reached_nobody(*, session: AsyncSession, case: Case, esc: Escalation, now: datetime) -> None:
    """ACTIVE, the chain reached nobody: page every member of staff in FALLBACK_ROLES rather than no one."""
    _require(esc, "chain_reached_nobody", EscalationState.ACTIVE)
    log.error("escalation %s of case %s reached nobody; paging all case staff", esc.id, case.id)
    esc.fallback_at = now
    add_event(session=session, case=case, kind="nobody_reached", now=now, detail={"escalation": esc.id})
    staff = {p.id: p for role in FALLBACK_ROLES
             for p in await staff_with_role(session=session, school_id=case.school_id, role=role)}
    await page_all(session=session, case=case, esc=esc, people=list(staff.values()), reason="fallback", now=now)


def exhaust(*, session: AsyncSession, case: Case, esc: Escalation, now: datetime) -> None:
    """ACTIVE -> EXHAUSTED: every step fired, no repeat, and nobody acknowledged."""
    _require(esc, "exhaust", EscalationState.ACTIVE)
    esc.state, esc.next_due_at = EscalationState.EXHAUSTED.value, None
    add_event(session=session, case=case, kind="escalation_exhausted", now=now, detail={"escalation": esc.id})
    log.error("escalation %s of case %s ended with nobody acknowledging", esc.id, case.id)


async def acknowledge(*, session: AsyncSession, case: Case, esc: Escalation | None, now: datetime) -> None:
    """Someone has the case: a watched level's chain -> ACKNOWLEDGED with the timer (one made when none
    is live); every other level's live chains -> DONE."""
    if case.level not in WATCHED_AFTER_ACK:
        await _end_live(session=session, case_id=case.id, state=EscalationState.DONE, now=now)
        return
    if esc is None:
        esc = Escalation(case_id=case.id, level=case.level, steps=[], summary="", step_index=0, round=0, version=0,
                         state=EscalationState.ACTIVE.value, created_at=now)
        session.add(esc)
    _require(esc, "acknowledge", *LIVE)
    esc.state, esc.next_due_at, esc.updated_at = EscalationState.ACKNOWLEDGED.value, now + ACK_TIMEOUT, now
    esc.version += 1
    await session.flush()


def hold(*, esc: Escalation) -> None:
    """ACTIVE -> ACKNOWLEDGED when the tick finds the case acknowledged (its timer takes over)."""
    _require(esc, "hold", *LIVE)
    esc.state = EscalationState.ACKNOWLEDGED.value


async def ack_timed_out(*, session: AsyncSession, case: Case, esc: Escalation, now: datetime) -> None:
    """ACKNOWLEDGED, due: a watched case with no note or status change for ACK_TIMEOUT re-pages its holder;
    a case no longer acknowledged on a watched level -> DONE."""
    _require(esc, "ack_timed_out", EscalationState.ACKNOWLEDGED)
    if case.status != "acknowledged" or case.level not in WATCHED_AFTER_ACK or case.acknowledged_by_id is None:
        finish(esc=esc)
        return
    quiet_until = case.updated_at + ACK_TIMEOUT
    if quiet_until > now:
        esc.next_due_at = quiet_until
        return
    holder = await session.get(Person, case.acknowledged_by_id)
    if holder is not None:
        minutes = int((now - case.updated_at).total_seconds() // 60)
        await page_person(session=session, case=case, person=holder, reason="ack_timeout", escalation=esc, now=now,
                          text=paging_texts.ACK_TIMEOUT_TEXT.format(case_id=case.id, minutes=minutes))
    esc.next_due_at = now + ACK_TIMEOUT


def finish(*, esc: Escalation) -> None:
    """ACTIVE or ACKNOWLEDGED -> DONE: the case closed, or nothing is left to watch."""
    _require(esc, "finish", *LIVE)
    esc.state, esc.next_due_at = EscalationState.DONE.value, None
