"""Pages: the text about a case, one page of one person on every channel they have bound, and what became of it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Case, Escalation, OutboxMessage, Page, Person, Thread
from bot.services.crisis.cases import add_event
from bot.services.crisis.flood import FLOOD, WINDOW, flags
from bot.services.messaging import outbox
from bot.services.school.people import group_name
from bot.texts import paging as T
from bot.texts.counsellor import OPT_ACK

LEVEL_NAMES = T.LEVEL_NAMES  # the catalogue's own dict (an override changes it in place): level -> its name
ACK_OPTION = OPT_ACK + " {case_id}"  # the button under a page, matched by the counsellor's 收到 command


def excerpt(text: str, limit: int = 60) -> str:
    """A short one-line excerpt of a message for a page."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


async def page_text(*, session: AsyncSession, case: Case, summary: str, reason: str = "step", round: int = 0) -> str:
    """The page: case id, level, class or dorm (never an anonymous sender), excerpt, how to acknowledge."""
    if case.source == "mailbox":
        code = (await session.execute(select(Thread.code).where(Thread.case_id == case.id))).scalar_one_or_none()
        where = T.WHERE_NOTE.format(code=code) if code else T.WHERE_MAILBOX
    else:
        where = await group_name(session=session, group_id=case.group_id) or T.WHERE_REPORT
        if case.subject:
            where += T.WHERE_SUBJECT.format(subject=case.subject)
    head = T.HEADS.get(reason, "").format(round=round)
    if FLOOD in await flags(session=session, case_id=case.id):
        head += T.FLOOD_LINE.format(minutes=int(WINDOW.total_seconds() // 60))
    return T.PAGE_TEXT.format(head=head, level_name=T.LEVEL_NAMES[case.level], case_id=case.id, where=where,
                            excerpt=excerpt(summary))


async def page_person(*, session: AsyncSession, case: Case, person: Person, text: str, reason: str,
                      escalation: Escalation | None = None, now: datetime | None = None) -> bool:
    """Queue a page on every channel the person has bound; False (and an event) when they have none."""
    now = now or utcnow()
    step = escalation.step_index if escalation else 0
    rnd = escalation.round if escalation else 0
    options = [ACK_OPTION.format(case_id=case.id)] if case.acknowledged_by_id is None else []
    rows = await outbox.to_person(session=session, person_id=person.id, kind="page", text=text, options=options,
                                  case_id=case.id, priority=outbox.PRIORITY_PAGE, due_at=now,
                                  sender_key=case.sender_key)
    if not rows:
        add_event(session=session, case=case, kind="unreachable", now=now,
                  detail={"person": person.name, "person_id": person.id, "why": "no bound channel"})
        return False
    for row in rows:
        session.add(Page(case_id=case.id, escalation_id=escalation.id if escalation else None, person_id=person.id,
                         channel=row.channel or "", outbox_id=row.id, step=step, round=rnd, reason=reason,
                         created_at=now, updated_at=now))
    add_event(session=session, case=case, kind="repaged" if reason == "ack_timeout" else "paged", now=now,
              detail={"person": person.name, "person_id": person.id, "reason": reason, "step": step, "round": rnd,
                      "channels": sorted({r.channel or "" for r in rows})})
    return True
async def page_all(*, session: AsyncSession, case: Case, esc: Escalation, people: Sequence[Person], reason: str,
                   now: datetime) -> bool:
    """Page each person about the chain's case; False when none of them has a bound channel."""
    text = await page_text(session=session, case=case, summary=esc.summary, reason=reason, round=esc.round)
    reached = False
    for person in people:
        reached = await page_person(session=session, case=case, person=person, text=text, reason=reason,
                                    escalation=esc, now=now) or reached
    return reached



async def page_delivered(*, session: AsyncSession, row: OutboxMessage, now: datetime) -> None:
    """Record a page's delivery result; when a step's target is unreachable everywhere, move on at once."""
    page = (await session.execute(select(Page).where(Page.outbox_id == row.id))).scalar_one_or_none()
    if page is None:
        return
    page.state, page.updated_at = ("sent" if row.state == "sent" else "undeliverable"), now
    if page.state == "sent" or page.escalation_id is None or page.reason != "step":
        return
    siblings = list((await session.execute(select(Page.state).where(
        Page.escalation_id == page.escalation_id, Page.step == page.step, Page.round == page.round))).scalars())
    if any(state != "undeliverable" for state in siblings):
        return
    esc = await session.get(Escalation, page.escalation_id)
    if esc is None or esc.state != "active" or esc.step_index != page.step + 1 or esc.round != page.round:
        return
    esc.next_due_at, esc.version = now, esc.version + 1
    case = await session.get(Case, page.case_id)
    if case is not None:
        add_event(session=session, case=case, kind="step_unreachable", now=now,
                  detail={"escalation": esc.id, "step": page.step})


async def latest_unacknowledged_page(*, session: AsyncSession, person: Person, now: datetime) -> int | None:
    """The case of the latest page (last 24 h) to a person that nobody has acknowledged yet."""
    return (await session.execute(
        select(Page.case_id).join(Case, Case.id == Page.case_id).where(
            Page.person_id == person.id, Page.created_at >= now - timedelta(hours=24),
            Case.acknowledged_by_id.is_(None), Case.status != "closed",
        ).order_by(Page.id.desc()).limit(1)
    )).scalar_one_or_none()
