"""The weekly check-in (零报告): rounds asked by a cron rule (or a key period's), nudged, then listed.

A round is a row with a due time, like an escalation: asked (pushes queued), at the deadline one
nudge to whoever has not answered, after the grace the missing are listed to the counsellors.
Creating a round is idempotent (unique school and ask time), so two processes ask once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import CheckinRound, CheckinRule, Group, KeyPeriod, OutboxMessage, Person, Report
from bot.db.models_people import MEMBER_ROLES
from bot.services.crisis.roster import staff_with_role
from bot.services.messaging import outbox
from bot.services.messaging.due_rows import advance_each, claim
from bot.services.schedule.periods import covering, list_periods
from bot.services.schedule.schedule_text import latest_fire, next_fire, parse_schedule, when
from bot.texts import reminders as T
from bot.texts.checkin import OPT_NOTHING, OPT_SOMETHING

log = logging.getLogger(__name__)
OPTIONS = [OPT_NOTHING, OPT_SOMETHING]  # the check-in flow's own buttons (handlers/checkin.py matches them)
STALE = timedelta(hours=12)  # after an outage, an ask this late is skipped rather than sent
KEY_PERIOD_DEADLINE = timedelta(hours=24)


async def rule_for(*, session: AsyncSession, school_id: int) -> CheckinRule:
    """The school's rule (Fri 16:00, due Sun 20:00, 12 h grace unless changed)."""
    rule = await session.get(CheckinRule, school_id)
    if rule is None:
        rule = CheckinRule(school_id=school_id, ask="Fri 16:00", deadline="Sun 20:00", grace_hours=12)
        session.add(rule)
        await session.flush()
    return rule


GRACE_HOURS = (1, 168)


async def set_rule(*, session: AsyncSession, school_id: int, zone: ZoneInfo, ask: str | None = None,
                   deadline: str | None = None, grace_hours: int | None = None) -> CheckinRule:
    """Change the school's weekly rule (what is None is kept); ValueError with the reason, nothing changed."""
    for text in (ask, deadline):
        if text is not None:
            parse_schedule(text, zone)
    if grace_hours is not None and not GRACE_HOURS[0] <= grace_hours <= GRACE_HOURS[1]:
        raise ValueError(f"grace hours must be {GRACE_HOURS[0]} to {GRACE_HOURS[1]}")
    rule = await rule_for(session=session, school_id=school_id)
    rule.ask = ask.strip() if ask is not None else rule.ask
    rule.deadline = deadline.strip() if deadline is not None else rule.deadline
    rule.grace_hours = grace_hours if grace_hours is not None else rule.grace_hours
    await session.flush()
    return rule


@dataclass(frozen=True)
class Ask:
    """When a round is asked, its deadline and why (the key periods then)."""

    at: datetime
    deadline: datetime
    reason: str


def due_ask(rule: CheckinRule, periods: list[KeyPeriod], zone: ZoneInfo, now: datetime) -> Ask | None:
    """The latest ask time at or before now under the rule and the key periods' own rules."""
    candidates: list[Ask] = []
    default = latest_fire(parse_schedule(rule.ask, zone), now)
    if default is not None and not any(p.checkin for p in covering(periods, default, zone)):
        deadline = next_fire(parse_schedule(rule.deadline, zone), default)
        candidates.append(Ask(default, deadline, ""))
    for period in periods:
        if not period.checkin:
            continue
        t = latest_fire(parse_schedule(period.checkin, zone), now)
        if t is not None and period in covering(periods, t, zone):
            candidates.append(Ask(t, t + KEY_PERIOD_DEADLINE, ""))
    if not candidates:
        return None
    latest = max(candidates, key=lambda a: a.at)
    reason = "、".join(p.name for p in covering(periods, latest.at, zone))
    return Ask(latest.at, latest.deadline, reason)


async def members(*, session: AsyncSession, school_id: int) -> list[Person]:
    """Every committee member of the school."""
    people = (await session.execute(select(Person).where(Person.school_id == school_id).order_by(Person.id)))
    return [p for p in people.scalars() if p.role_set & set(MEMBER_ROLES)]


async def plan(*, sessions: async_sessionmaker[AsyncSession], school_id: int, zone: ZoneInfo,
               now: datetime | None = None) -> CheckinRound | None:
    """Ask for the report if an ask time has come and that round does not exist yet."""
    now = now or utcnow()
    try:
        async with sessions() as session, session.begin():
            rule = await rule_for(session=session, school_id=school_id)
            ask = due_ask(rule, await list_periods(session=session, school_id=school_id), zone, now)
            if ask is None or now - ask.at > STALE:
                return None
            exists = (await session.execute(select(CheckinRound.id).where(
                CheckinRound.school_id == school_id, CheckinRound.asked_at == ask.at))).scalar_one_or_none()
            if exists is not None:
                return None
            return await _ask(session=session, school_id=school_id, rule=rule, ask=ask, zone=zone, now=now)
    except IntegrityError:  # another process asked this round first
        return None


async def _ask(*, session: AsyncSession, school_id: int, rule: CheckinRule, ask: Ask, zone: ZoneInfo,
               now: datetime) -> CheckinRound:
    asked = await members(session=session, school_id=school_id)
    local = ask.at.astimezone(zone)
    year, week, _ = local.isocalendar()
    rnd = CheckinRound(school_id=school_id, asked_at=ask.at, deadline_at=ask.deadline,
                       grace_until=ask.deadline + timedelta(hours=rule.grace_hours), week=f"{year}-W{week:02d}",
                       reason=ask.reason, members=[p.id for p in asked], state="asked", next_due_at=ask.deadline,
                       version=0, detail={})
    session.add(rnd)
    await session.flush()
    for person in asked:
        group = T.CHECKIN_GROUP["member_dorm" if "member_dorm" in person.role_set else "member_class"]
        text = (T.CHECKIN_ASK_KEY_PERIOD.format(reason=ask.reason, group=group) if ask.reason
                else T.CHECKIN_ASK.format(group=group))
        await outbox.to_person(session=session, person_id=person.id, kind="reminder", text=text, options=OPTIONS,
                               due_at=now, ref=f"checkin:{rnd.id}")
    log.info("check-in round %s asked of %d members", rnd.id, len(asked))
    return rnd


async def answered(*, session: AsyncSession, rnd: CheckinRound) -> dict[int, Report]:
    """Members who reported since the round was asked (a check-in or a concern report), with the report."""
    rows = (await session.execute(select(Report).where(
        Report.school_id == rnd.school_id, Report.kind.in_(("checkin", "concern")),
        Report.reporter_id.in_(rnd.members or [-1]), Report.created_at >= rnd.asked_at,
    ).order_by(Report.id))).scalars()
    return {r.reporter_id: r for r in rows if r.reporter_id is not None}


async def _advance(*, session: AsyncSession, round_id: int, zone: ZoneInfo, now: datetime) -> bool:
    rnd = await claim(session=session, model=CheckinRound, row_id=round_id, now=now,
                      live=lambda r: r.state != "closed")
    if rnd is None:
        return False
    done = await answered(session=session, rnd=rnd)
    missing = [pid for pid in rnd.members if pid not in done]
    if rnd.state == "asked":
        text = T.CHECKIN_NUDGE.format(deadline=when(rnd.deadline_at, zone))
        for pid in missing:
            await outbox.to_person(session=session, person_id=pid, kind="reminder", text=text, options=OPTIONS,
                                   due_at=now, ref=f"checkin:{rnd.id}")
        rnd.state, rnd.next_due_at = "nudged", rnd.grace_until
        rnd.detail = {**rnd.detail, "nudged": missing}
        return True
    names = []
    for pid in missing:
        person = await session.get(Person, pid)
        group = await session.get(Group, person.group_id) if person and person.group_id else None
        if person:
            names.append(f"· {person.name}（{group.name if group else '—'}）")
    if names:
        text = T.CHECKIN_MISSING.format(when=when(rnd.asked_at, zone), names="\n".join(names))
        for counsellor in await staff_with_role(session=session, school_id=rnd.school_id, role="counsellor"):
            await outbox.to_person(session=session, person_id=counsellor.id, kind="notice", text=text, due_at=now)
    rnd.state, rnd.next_due_at = "closed", None
    rnd.detail = {**rnd.detail, "missing": missing}
    return True


async def run_due(*, sessions: async_sessionmaker[AsyncSession], zone: ZoneInfo,
                  now: datetime | None = None) -> int:
    """Nudge or list every round that is due; each in its own transaction."""
    now = now or utcnow()
    async with sessions() as session:
        ids = list((await session.execute(select(CheckinRound.id).where(
            CheckinRound.state != "closed", CheckinRound.next_due_at <= now))).scalars())
    return await advance_each(sessions=sessions, ids=ids, what="check-in round",
                              advance=lambda session, round_id: _advance(session=session, round_id=round_id,
                                                                         zone=zone, now=now))


@dataclass(frozen=True)
class MemberStatus:
    """One member's answer to a round."""

    person: Person
    group: str
    report: Report | None
    nudged: bool
    undeliverable: bool


async def round_status(*, session: AsyncSession, rnd: CheckinRound) -> list[MemberStatus]:
    """Every member asked in a round: what they answered, whether nudged, whether a push could not reach them."""
    done = await answered(session=session, rnd=rnd)
    failed = set((await session.execute(select(OutboxMessage.person_id).where(
        OutboxMessage.ref == f"checkin:{rnd.id}", OutboxMessage.state == "undeliverable"))).scalars())
    statuses = []
    for pid in rnd.members:
        person = await session.get(Person, pid)
        if person is None:
            continue
        group = await session.get(Group, person.group_id) if person.group_id else None
        statuses.append(MemberStatus(person, group.name if group else "—", done.get(pid),
                                     pid in (rnd.detail or {}).get("nudged", []), pid in failed))
    return statuses


async def rounds_of_week(*, session: AsyncSession, school_id: int, week: str) -> list[CheckinRound]:
    """The rounds asked in an ISO week (`2026-W48`)."""
    return list((await session.execute(select(CheckinRound).where(
        CheckinRound.school_id == school_id, CheckinRound.week == week).order_by(CheckinRound.asked_at))).scalars())
