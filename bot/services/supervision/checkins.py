"""Weekly check-ins (周报) per class or dorm: asked, answered before the round closed, completion."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import CheckinRound, Group, Person, Report
from bot.services.supervision.labels import NO_GROUP, SCHOOL
from bot.services.supervision.table import Section, protected, rate, shown_rate, titled


async def section(*, session: AsyncSession, school_id: int, start: datetime, end: datetime) -> Section:
    """Check-in completion per class and dorm, and for the school."""
    rounds = list((await session.execute(select(CheckinRound).where(
        CheckinRound.school_id == school_id, CheckinRound.asked_at >= start, CheckinRound.asked_at < end)
        .order_by(CheckinRound.asked_at))).scalars())
    people = {p.id: p.group_id for p in (await session.execute(select(Person).where(
        Person.school_id == school_id))).scalars()}
    groups = {g.id: g.name for g in (await session.execute(select(Group).where(Group.school_id == school_id)
                                                              .order_by(Group.kind, Group.name))).scalars()}
    asked: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    weeks: dict[str, set[str]] = {}
    for rnd in rounds:
        done = {rid for (rid,) in (await session.execute(select(Report.reporter_id).where(
            Report.school_id == school_id, Report.kind.in_(("checkin", "concern")),
            Report.reporter_id.in_(rnd.members or [-1]), Report.created_at >= rnd.asked_at,
            Report.created_at < rnd.grace_until))).all()}
        for pid in rnd.members:
            name = groups.get(people.get(pid) or 0, NO_GROUP)
            asked[name] += 1
            answered[name] += pid in done
            weeks.setdefault(name, set()).add(rnd.week)
    out = titled("checkins", ["班级或寝室", "周数", "应交", "已交", "完成率"], below_school=True)
    names = [name for name in [*groups.values(), NO_GROUP] if asked[name]]
    shown = protected([[asked[name], answered[name]] for name in names])
    for name, (a, d) in zip(names, shown, strict=True):
        out.rows.append([name, len(weeks[name]), a, d, shown_rate(d, a)])
    total_asked, total_done = sum(asked.values()), sum(answered.values())
    out.rows.append([SCHOOL, len({r.week for r in rounds}), total_asked, total_done,
                     rate(total_done, total_asked, masked=False)])
    return out
