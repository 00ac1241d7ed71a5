"""Training sessions: audience, reminders as due outbox rows, answers, attendance, two misses flagged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import Group, Person, TrainingParticipant, TrainingSession
from bot.services.crisis.policies import PolicyError, parse_wait
from bot.services.crisis.roster import staff_with_role
from bot.services.messaging import outbox
from bot.services.schedule.schedule_text import when
from bot.services.schedule.training_audience import audience_members, queue_reminders, top_up_due
from bot.texts import reminders as T
from bot.texts.training import OPT_ATTEND, OPT_LEAVE, answer_button

ANSWERS = {OPT_ATTEND: "attend", OPT_LEAVE: "leave"}  # the reminder's buttons, as handlers/training.py matches them


class TrainingError(Exception):
    """A training action refused; reason names what was wrong."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_audience(text: str) -> str:
    """`all`, `class`, `dorm` or `grade:N`."""
    t = text.strip().lower()
    if t in ("all", "class", "dorm") or (t.startswith("grade:") and t[6:].isdigit()):
        return t
    raise ValueError(f"audience {text!r}: use all, class, dorm or grade:N (e.g. grade:8)")


def parse_offsets(text: str) -> list[int]:
    """`24h,1h` -> seconds before the start, largest first."""
    try:
        offsets = sorted({parse_wait(part) for part in text.split(",") if part.strip()}, reverse=True)
    except PolicyError as exc:
        raise ValueError(f"--remind: {exc}") from exc
    if not offsets:
        raise ValueError("--remind needs at least one offset, e.g. 24h,1h")
    return offsets


def where_text(ts: TrainingSession) -> str:
    """The place or the link."""
    return T.TRAINING_PLACE.format(place=ts.place) if ts.place else T.TRAINING_LINK.format(link=ts.link)


async def add_session(*, session: AsyncSession, school_id: int, title: str, starts_at: datetime, place: str,
                      link: str, audience: str, remind: list[int], zone: ZoneInfo,
                      now: datetime | None = None) -> TrainingSession:
    """Create a session, its audience and one due reminder per member and offset still ahead."""
    now = now or utcnow()
    if starts_at <= now:
        raise TrainingError("the session must start in the future")
    ts = TrainingSession(school_id=school_id, title=title[:200], starts_at=starts_at, place=place[:200],
                         link=link[:500], audience=audience, remind=remind, state="scheduled", created_at=now)
    session.add(ts)
    await session.flush()
    text, options = reminder_text(ts, zone)
    for member in await audience_members(session=session, school_id=school_id, audience=audience):
        session.add(TrainingParticipant(session_id=ts.id, person_id=member.id))
        await queue_reminders(session=session, ts=ts, person_id=member.id, text=text, options=options, now=now,
                              late_one=False)
    await session.flush()
    return ts


def reminder_text(ts: TrainingSession, zone: ZoneInfo) -> tuple[str, list[str]]:
    """A session's reminder and its answer buttons."""
    text = T.TRAINING.format(title=ts.title, when=when(ts.starts_at, zone), where=where_text(ts))
    return text, [answer_button(word, ts.id) for word in ANSWERS]


async def keep_audiences(*, sessions: async_sessionmaker[AsyncSession], zone: ZoneInfo,
                         now: datetime | None = None) -> int:
    """Bring members who joined an upcoming session's audience since it was added into it, with reminders."""
    return await top_up_due(sessions=sessions, texts=lambda ts: reminder_text(ts, zone), now=now)


async def get_session(*, session: AsyncSession, school_id: int, session_id: int) -> TrainingSession:
    """A session of the school, or TrainingError('unknown')."""
    ts = await session.get(TrainingSession, session_id)
    if ts is None or ts.school_id != school_id:
        raise TrainingError("unknown")
    return ts


async def participants(*, session: AsyncSession, session_id: int) -> list[tuple[TrainingParticipant, Person]]:
    """The audience of a session with their answers."""
    return [(tp, p) for tp, p in (await session.execute(
        select(TrainingParticipant, Person).join(Person, Person.id == TrainingParticipant.person_id)
        .where(TrainingParticipant.session_id == session_id).order_by(Person.id))).all()]


async def cancel_session(*, session: AsyncSession, school_id: int, session_id: int, zone: ZoneInfo,
                         now: datetime | None = None) -> int:
    """Cancel: withdraw the reminders not yet sent and tell every member; return how many were told."""
    ts = await get_session(session=session, school_id=school_id, session_id=session_id)
    if ts.state == "cancelled":
        raise TrainingError("cancelled")
    ts.state = "cancelled"
    await outbox.cancel(session=session, ref=f"training:{ts.id}")
    text = T.TRAINING_CANCELLED.format(when=when(ts.starts_at, zone), title=ts.title)
    told = 0
    for _tp, person in await participants(session=session, session_id=ts.id):
        told += bool(await outbox.to_person(session=session, person_id=person.id, kind="notice", text=text,
                                            due_at=now or utcnow()))
    return told


async def answer(*, session: AsyncSession, person: Person, session_id: int | None, word: str,
                 now: datetime | None = None) -> TrainingSession:
    """Record 参加 or 请假 for a session (the next one the member is invited to when no id is given)."""
    now = now or utcnow()
    query = (select(TrainingSession, TrainingParticipant)
             .join(TrainingParticipant, TrainingParticipant.session_id == TrainingSession.id)
             .where(TrainingParticipant.person_id == person.id, TrainingSession.state == "scheduled",
                    TrainingSession.starts_at > now - timedelta(hours=2)))
    if session_id is not None:
        query = query.where(TrainingSession.id == session_id)
    row = (await session.execute(query.order_by(TrainingSession.starts_at).limit(1))).first()
    if row is None:
        raise TrainingError("none")
    ts, tp = row
    tp.answer, tp.answered_at = ANSWERS[word], now
    return ts


@dataclass(frozen=True)
class Missed:
    """A member who missed two sessions in a row."""

    person: Person
    titles: tuple[str, str]


async def record_attendance(*, session: AsyncSession, school_id: int, session_id: int, present: list[int],
                            now: datetime | None = None) -> list[Missed]:
    """Mark who came (everyone else in the audience missed it); flag two misses in a row to counsellors."""
    ts = await get_session(session=session, school_id=school_id, session_id=session_id)
    if ts.starts_at > (now or utcnow()):
        raise TrainingError("not_started")
    audience = await participants(session=session, session_id=ts.id)
    known = {p.id for _tp, p in audience}
    strangers = set(present) - known
    if strangers:
        raise TrainingError(f"not in this session's audience: {sorted(strangers)}")
    for tp, _p in audience:
        tp.attended = tp.person_id in present
    ts.attendance_taken = True
    await session.flush()
    flagged: list[Missed] = []
    counsellors = await staff_with_role(session=session, school_id=school_id, role="counsellor")
    for tp, person in audience:
        if tp.attended:
            continue
        last_two = (await session.execute(
            select(TrainingSession.title, TrainingParticipant.attended)
            .join(TrainingParticipant, TrainingParticipant.session_id == TrainingSession.id)
            .where(TrainingParticipant.person_id == person.id, TrainingSession.attendance_taken.is_(True),
                   TrainingSession.state == "scheduled", TrainingSession.starts_at <= ts.starts_at)
            .order_by(TrainingSession.starts_at.desc()).limit(2))).all()
        if len(last_two) == 2 and not any(attended for _t, attended in last_two):
            missed = Missed(person, (last_two[1][0], last_two[0][0]))
            flagged.append(missed)
            group = (await session.get(Group, person.group_id)) if person.group_id else None
            text = T.MISSED_TWICE.format(name=person.name, group=group.name if group else "—",
                                       titles="、".join(missed.titles))
            for counsellor in counsellors:
                await outbox.to_person(session=session, person_id=counsellor.id, kind="notice", text=text,
                                       due_at=now or utcnow())
    return flagged


async def list_sessions(*, session: AsyncSession, school_id: int) -> list[TrainingSession]:
    """Every session, soonest first."""
    return list((await session.execute(select(TrainingSession).where(TrainingSession.school_id == school_id)
                                       .order_by(TrainingSession.starts_at))).scalars())
