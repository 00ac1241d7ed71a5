"""The anonymous psychology mailbox: notes, their threads, replies both ways, sealed addresses."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Case, Person, Report, SealedAddress, Thread, ThreadMessage
from bot.services import abuse, outbox
from bot.services.cases import add_event, mark_in_progress, open_case, raise_level
from bot.services.sealing import Sealer
from keywords import Verdict

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SEAL_DAYS = 30


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
                    channel: str, external_id: str, now: datetime | None = None, roster: Iterable[str] = ()) -> Note:
    """Store a note with no sender identifier; the address for replies goes sealed into its own table.

    A note naming a student (from roster, or a person of the school) named in other recent notes is
    flagged to the counsellors (services/abuse.py); it is filed and paged all the same.
    """
    now = now or utcnow()
    case = await open_case(session=session, school_id=school_id, level=verdict.level, source="mailbox", now=now)
    report = Report(school_id=school_id, kind="mailbox", reporter_id=None, text=text, level=verdict.level,
                    categories=list(verdict.categories), evidence=[e.as_dict() for e in verdict.evidence],
                    case_id=case.id, created_at=now)
    thread = Thread(code=new_code(), case_id=case.id, push_replies=True, created_at=now)
    session.add_all([report, thread])
    await session.flush()
    session.add(ThreadMessage(thread_id=thread.id, author="student", text=text, created_at=now))
    session.add(SealedAddress(thread_id=thread.id, sealed=sealer.seal(channel, external_id),
                              expires_at=now + timedelta(days=SEAL_DAYS)))
    add_event(session=session, case=case, kind="mailbox_note", now=now,
              detail={"report_id": report.id, "thread": thread.code, "level": verdict.level})
    await abuse.check_note(session=session, case=case, text=text, roster=roster, now=now)
    return Note(report=report, case=case, thread=thread)


async def find_thread(*, session: AsyncSession, code: str) -> Thread:
    """The open thread with that code, or ThreadError."""
    thread = (await session.execute(
        select(Thread).where(Thread.code == code.strip().upper())
    )).scalar_one_or_none()
    if thread is None or thread.closed_at is not None:
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


async def student_answer(*, session: AsyncSession, thread: Thread, text: str, verdict: Verdict,
                         now: datetime | None = None) -> tuple[Case, bool]:
    """Add the student's answer to the thread; return the case and whether its level rose."""
    now = now or utcnow()
    session.add(ThreadMessage(thread_id=thread.id, author="student", text=text, created_at=now))
    case = await session.get(Case, thread.case_id)
    assert case is not None
    rose = raise_level(session=session, case=case, level=verdict.level, now=now)
    case.updated_at = now
    add_event(session=session, case=case, kind="student_message", now=now, detail={"level": verdict.level})
    return case, rose


async def counsellor_reply(*, session: AsyncSession, code: str, person: Person, text: str,
                           push_text: str, now: datetime | None = None) -> Thread:
    """Add a counsellor's answer; push it to the student when they asked for pushes."""
    now = now or utcnow()
    thread = await find_thread(session=session, code=code)
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
                               options=[f"查看 {thread.code}"], case_id=case.id)
    return thread


async def close_thread_of_case(*, session: AsyncSession, case_id: int, now: datetime | None = None) -> None:
    """Close a case's thread and forget its sealed address."""
    thread = await thread_for_case(session=session, case_id=case_id)
    if thread is None:
        return
    thread.closed_at = now or utcnow()
    await session.execute(delete(SealedAddress).where(SealedAddress.thread_id == thread.id))


async def unseal_address(*, session: AsyncSession, thread_id: int, sealer: Sealer,
                         now: datetime | None = None) -> tuple[str, str] | None:
    """The delivery worker's only way to an anonymous sender's address."""
    sealed = await session.get(SealedAddress, thread_id)
    if sealed is None or sealed.expires_at < (now or utcnow()):
        return None
    return sealer.unseal(sealed.sealed)
