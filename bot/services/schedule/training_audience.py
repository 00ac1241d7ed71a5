"""Who a training session is for, kept current until it starts.

The audience is computed again while the session is ahead (the tick runs top_up_due): a member bound,
or a class given its grade, after the session was added joins it and gets the reminders still due.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import Group, Person, TrainingParticipant, TrainingSession
from bot.db.models_people import MEMBER_ROLES
from bot.services.messaging import outbox
from bot.services.school.grades import grade_of

log = logging.getLogger(__name__)


async def audience_members(*, session: AsyncSession, school_id: int, audience: str) -> list[Person]:
    """The committee members a session is for now (a grade counts classes set to it or named so)."""
    people = list((await session.execute(select(Person).where(Person.school_id == school_id)
                                         .order_by(Person.id))).scalars())
    members = [p for p in people if p.role_set & set(MEMBER_ROLES)]
    if audience == "class":
        return [p for p in members if "member_class" in p.role_set]
    if audience == "dorm":
        return [p for p in members if "member_dorm" in p.role_set]
    if audience.startswith("grade:"):
        grade = int(audience[6:])
        groups = {g.id for g in (await session.execute(select(Group).where(Group.school_id == school_id))).scalars()
                  if grade_of(g) == grade}
        return [p for p in members if p.group_id in groups]
    return members


async def queue_reminders(*, session: AsyncSession, ts: TrainingSession, person_id: int, text: str,
                          options: list[str], now: datetime, late_one: bool) -> int:
    """Queue a member's reminders still ahead; with late_one, one now if a reminder time has passed."""
    dues = [ts.starts_at - timedelta(seconds=offset) for offset in ts.remind]
    ahead = [due for due in dues if due > now]
    if late_one and len(ahead) < len(dues) and ts.starts_at > now:
        ahead.append(now)
    for due in ahead:
        await outbox.to_person(session=session, person_id=person_id, kind="reminder", text=text, options=options,
                               due_at=due, ref=f"training:{ts.id}")
    return len(ahead)


async def top_up(*, session: AsyncSession, ts: TrainingSession, text: str, options: list[str],
                 now: datetime) -> int:
    """Bring members who belong to the audience now but did not when it was added into it; return how many."""
    have = set((await session.execute(select(TrainingParticipant.person_id).where(
        TrainingParticipant.session_id == ts.id))).scalars())
    added = 0
    for member in await audience_members(session=session, school_id=ts.school_id, audience=ts.audience):
        if member.id in have:
            continue
        session.add(TrainingParticipant(session_id=ts.id, person_id=member.id))
        await queue_reminders(session=session, ts=ts, person_id=member.id, text=text, options=options, now=now,
                              late_one=True)
        added += 1
    await session.flush()
    return added


async def top_up_due(*, sessions: async_sessionmaker[AsyncSession],
                     texts: Callable[[TrainingSession], tuple[str, list[str]]], now: datetime | None = None) -> int:
    """Top up every session still ahead, each in its own transaction; return members added."""
    now = now or utcnow()
    async with sessions() as session:
        ids = list((await session.execute(select(TrainingSession.id).where(
            TrainingSession.state == "scheduled", TrainingSession.starts_at > now))).scalars())
    added = 0
    for session_id in ids:
        try:
            async with sessions() as session, session.begin():
                ts = (await session.execute(select(TrainingSession).where(TrainingSession.id == session_id)
                                            .with_for_update())).scalar_one()
                if ts.state != "scheduled":
                    continue
                text, options = texts(ts)
                added += await top_up(session=session, ts=ts, text=text, options=options, now=now)
        except IntegrityError:  # another process added the same member first
            continue
        except Exception:
            log.exception("training session %s: audience top-up failed", session_id)
    return added
