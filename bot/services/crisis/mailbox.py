"""The anonymous psychology mailbox: notes, their threads, replies both ways, sealed addresses."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import minute_after, utcnow
from bot.db.models import Case, Person, Report, SealedAddress, Thread, ThreadMessage, WebChatMessage
from bot.services.crisis import abuse
from bot.services.crisis.cases import add_event, mark_in_progress, open_case, raise_level
from bot.services.crisis.roster import on_duty
from bot.services.messaging import outbox
from bot.services.messaging.sealing import Sealer
from bot.texts.mailbox import view_button
from keywords import Verdict

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SEAL_DAYS = 30
FOLLOW_UP_DAYS = 7  # a closed thread's code keeps working this long: the student may write again


class ThreadError(Exception):
    """No such open thread."""


@dataclass(frozen=True)
class Note:
    """A filed mailbox note with its case and thread."""

    report: Report
    case: Case
    thread: Thread


def new_code() -> str:
    """An 8-character thread code: unguessable, easy to type."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


async def file_note(*, session: AsyncSession, school_id: int, text: str, verdict: Verdict, sealer: Sealer,
                    channel: str, external_id: str, now: datetime | None = None, sender_key: str | None = None,
                    roster: Iterable[str] = ()) -> Note:
    """Store a note with no sender identifier; the address for replies goes sealed into its own table.

    sender_key: the sender's daily keyed hash, kept on the case (its pages are queued by it).
    A note naming a student (from roster, or a person of the school) named in other recent notes is
    flagged to the counsellors (services/abuse.py); it is filed and paged all the same.
    """
    now = now or utcnow()
    case = await open_case(session=session, school_id=school_id, level=verdict.level, source="mailbox", now=now)
    case.sender_key = sender_key
    report = Report(school_id=school_id, kind="mailbox", reporter_id=None, text=text, level=verdict.level,
                    categories=list(verdict.categories), evidence=[e.as_dict() for e in verdict.evidence],
                    case_id=case.id, created_at=now)
    thread = Thread(code=new_code(), case_id=case.id, push_replies=True, created_at=now)
    session.add_all([report, thread])
    await session.flush()
    session.add(ThreadMessage(thread_id=thread.id, author="student", text=text, created_at=now))
    session.add(SealedAddress(thread_id=thread.id, sealed=sealer.seal(channel, external_id),
                              expires_at=minute_after(now + timedelta(days=SEAL_DAYS))))
    add_event(session=session, case=case, kind="mailbox_note", now=now,
              detail={"report_id": report.id, "thread": thread.code, "level": verdict.level})
    await abuse.check_note(session=session, case=case, text=text, roster=roster, now=now)
    return Note(report=report, case=case, thread=thread)


async def find_thread(*, session: AsyncSession, code: str, now: datetime | None = None) -> Thread:
    """The thread with that code, open or closed less than FOLLOW_UP_DAYS ago; else ThreadError."""
    thread = (await session.execute(
        select(Thread).where(Thread.code == code.strip().upper())
    )).scalar_one_or_none()
    if thread is None:
        raise ThreadError(code)
    if thread.closed_at is not None and (now or utcnow()) - thread.closed_at > timedelta(days=FOLLOW_UP_DAYS):
        raise ThreadError(code)
    return thread


async def thread_for_case(*, session: AsyncSession, case_id: int) -> Thread | None:
    """The thread of a mailbox case, if any."""
    return (await session.execute(select(Thread).where(Thread.case_id == case_id))).scalar_one_or_none()


async def set_push(*, session: AsyncSession, thread: Thread, push: bool) -> None:
    """Choose whether replies are pushed; without pushes the sealed address is deleted at once."""
    thread.push_replies = push
    if not push:
        await session.execute(delete(SealedAddress).where(SealedAddress.thread_id == thread.id))


async def messages(*, session: AsyncSession, thread: Thread) -> list[ThreadMessage]:
    """The thread's messages, oldest first."""
    return list((await session.execute(
        select(ThreadMessage).where(ThreadMessage.thread_id == thread.id).order_by(ThreadMessage.id)
    )).scalars())


async def student_answer(*, session: AsyncSession, thread: Thread, text: str, level: str,
                         answer: str | None = None, now: datetime | None = None) -> tuple[Case, bool]:
    """Add the student's message to the thread; return the case and whether its level rose.

    answer is what the message said to the bot's direct question (yes / no / other), when it was one.
    """
    now = now or utcnow()
    session.add(ThreadMessage(thread_id=thread.id, author="student", text=text, created_at=now))
    case = await session.get(Case, thread.case_id)
    assert case is not None
    if case.status == "closed":  # written again within the follow-up days: the case is open again
        case.status = "in_progress" if case.acknowledged_by_id else "new"
        case.outcome, case.closed_at, thread.closed_at = None, None, None
        add_event(session=session, case=case, kind="reopened", now=now, detail={"by": "student"})
        sealed = await session.get(SealedAddress, thread.id)
        if sealed is not None:  # replies can reach them again for the days after they wrote
            sealed.expires_at = max(sealed.expires_at, now + timedelta(days=FOLLOW_UP_DAYS))
    rose = raise_level(session=session, case=case, level=level, now=now)
    case.updated_at = now
    add_event(session=session, case=case, kind="student_message", now=now, detail={"level": level})
    if answer is not None:
        add_event(session=session, case=case, kind="direct_answer", now=now, detail={"answer": answer})
    return case, rose


async def tell_holder(*, session: AsyncSession, case: Case, text: str, zone: ZoneInfo, urgent: bool = False,
                      about: str = outbox.ABOUT_OTHER, now: datetime | None = None) -> bool:
    """Tell the case's holder (or, before anyone holds it, the on-duty counsellor); False if nobody.

    about: what the notice is about (outbox.ABOUT_MESSAGE: an urgent message in the thread, which the
    page queue folds into what the holder was already told while its sender floods). An urgent notice
    is queued fairly by the case's sender and merged with pages, as pages are.
    """
    now = now or utcnow()
    target = case.acknowledged_by_id
    if target is None:
        person, _ = await on_duty(session=session, school_id=case.school_id, at=now, zone=zone)
        target = person.id if person else None
    if target is None:
        return False
    rows = await outbox.to_person(session=session, person_id=target, kind="notice", text=text, case_id=case.id,
                                  priority=outbox.PRIORITY_PAGE if urgent else outbox.PRIORITY_NORMAL, due_at=now,
                                  ref=outbox.thread_notice_ref(case.id, about), sender_key=case.sender_key)
    return bool(rows)


async def counsellor_reply(*, session: AsyncSession, code: str, person: Person, text: str,
                           push_text: str, now: datetime | None = None) -> Thread:
    """Add a counsellor's answer; push it to the student when they asked for pushes."""
    now = now or utcnow()
    thread = await find_thread(session=session, code=code, now=now)
    case = await session.get(Case, thread.case_id)
    if case is None or case.school_id != person.school_id:
        raise ThreadError(code)
    session.add(ThreadMessage(thread_id=thread.id, author="counsellor", author_id=person.id, text=text,
                              created_at=now))
    mark_in_progress(case, now)
    add_event(session=session, case=case, kind="reply", actor_id=person.id, now=now, detail={"text": text[:2000]})
    if thread.push_replies:
        await outbox.to_thread(session=session, thread_id=thread.id, kind="reply",
                               text=push_text.format(code=thread.code, text=text),
                               options=[view_button(thread.code)], case_id=case.id)
    return thread


async def close_thread_of_case(*, session: AsyncSession, case_id: int, closing_text: str,
                               now: datetime | None = None) -> str | None:
    """Close a case's thread with a closing message (pushed when the student wanted pushes); return its code.

    The code keeps working FOLLOW_UP_DAYS more (a message then reopens the case); the sealed address
    is kept only that long, so the closing message and a follow-up reply can still reach the student.
    The replies waiting in a web inbox are forgotten (housekeeping also forgets any written later).
    """
    now = now or utcnow()
    thread = await thread_for_case(session=session, case_id=case_id)
    if thread is None:
        return None
    thread.closed_at = now
    await session.execute(delete(WebChatMessage).where(WebChatMessage.thread_id == thread.id))
    text = closing_text.format(code=thread.code)
    session.add(ThreadMessage(thread_id=thread.id, author="bot", text=text, created_at=now))
    sealed = await session.get(SealedAddress, thread.id)
    if sealed is not None:
        sealed.expires_at = min(sealed.expires_at, now + timedelta(days=FOLLOW_UP_DAYS))
        if thread.push_replies:
            await outbox.to_thread(session=session, thread_id=thread.id, kind="reply", text=text,
                                   options=[view_button(thread.code)], case_id=case_id)
    return thread.code


async def purge_expired_addresses(*, session: AsyncSession, now: datetime) -> int:
    """Delete the sealed addresses past their expiry (their threads get no more pushes); return how many."""
    result = await session.execute(delete(SealedAddress).where(SealedAddress.expires_at < now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def unseal_address(*, session: AsyncSession, thread_id: int, sealer: Sealer,
                         now: datetime | None = None) -> tuple[str, str] | None:
    """The delivery worker's only way to an anonymous sender's address."""
    sealed = await session.get(SealedAddress, thread_id)
    if sealed is None or sealed.expires_at < (now or utcnow()):
        return None
    return sealer.unseal(sealed.sealed)
