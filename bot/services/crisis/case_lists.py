"""The lists of cases staff work from: the open queue (待处理) and the closed history, filtered and
searched, always within one school; and the earlier cases of the same named student."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Case, Escalation, Group, Person, Report, Thread, ThreadMessage
from bot.services.crisis.cases import OPEN_STATUSES
from bot.services.crisis.escalation_machine import LIVE
from keywords import RANK

LIMIT = 200
SEARCH_MAX = 100


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; every field optional."""

    level: str = ""
    status: str = ""
    holder_id: int | None = None
    group_id: int | None = None
    category: str = ""
    since: date | None = None  # opened on or after (school date)
    until: date | None = None  # opened on or before
    search: str = ""  # a case id, a thread code, or (history) words in the reports and thread
    outcome: str = ""


@dataclass
class Row:
    """One line of the queue or the history."""

    case: Case
    group: str
    group_kind: str
    code: str | None
    holder: str
    categories: list[str] = field(default_factory=list)
    step: str = ""  # 2/3 (round 1) of the live chain
    late: bool = False
    excerpt: str = ""


async def _rows(session: AsyncSession, cases: Sequence[Case]) -> list[Row]:
    ids = [c.id for c in cases]
    if not ids:
        return []
    groups = {g.id: g for g in (await session.execute(select(Group).where(
        Group.id.in_({c.group_id for c in cases if c.group_id})))).scalars()}
    people = {p.id: p.name for p in (await session.execute(select(Person).where(
        Person.id.in_({c.acknowledged_by_id for c in cases if c.acknowledged_by_id})))).scalars()}
    codes: dict[int, str] = {case_id: code for case_id, code in (await session.execute(
        select(Thread.case_id, Thread.code).where(Thread.case_id.in_(ids)))).all()}
    cats: dict[int, list[str]] = {}
    texts: dict[int, str] = {}
    for case_id, categories, text in (await session.execute(select(Report.case_id, Report.categories, Report.text)
                                                            .where(Report.case_id.in_(ids)).order_by(Report.id))):
        for c in categories or []:
            if c not in cats.setdefault(case_id, []):
                cats[case_id].append(c)
        texts[case_id] = text or ""
    chains: dict[int, Escalation] = {}
    late: set[int] = set()
    for esc in (await session.execute(select(Escalation).where(Escalation.case_id.in_(ids))
                                      .order_by(Escalation.id))).scalars():
        if esc.late_since is not None:
            late.add(esc.case_id)
        if esc.state in LIVE:
            chains[esc.case_id] = esc
    rows = []
    for c in cases:
        g = groups.get(c.group_id or 0)
        chain = chains.get(c.id)
        step = ""
        if chain is not None and chain.steps and c.acknowledged_by_id is None:  # held: the chain waits no more
            step = f"{min(chain.step_index, len(chain.steps))}/{len(chain.steps)}" + (
                f"+{chain.round}" if chain.round else "")
        rows.append(Row(case=c, group=g.name if g else "", group_kind=g.kind if g else "", code=codes.get(c.id),
                        holder=people.get(c.acknowledged_by_id or 0, ""), categories=cats.get(c.id, []),
                        step=step, late=c.id in late, excerpt=" ".join(texts.get(c.id, "").split())[:60]))
    return rows


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, zone)


async def _search_ids(session: AsyncSession, school_id: int, words: str, texts: bool) -> set[int] | None:
    words = words.strip()[:SEARCH_MAX]
    if not words:
        return None
    query = words.lstrip("#")
    found: set[int | None] = set()
    if query.isdigit() and len(query) < 10:
        found.add(int(query))
    found |= set((await session.execute(select(Thread.case_id).where(Thread.code == query.upper()))).scalars())
    if texts:
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found |= set((await session.execute(select(Report.case_id).where(
            Report.school_id == school_id, Report.text.like(pattern, escape="\\"),
            Report.case_id.is_not(None)))).scalars())
        found |= set((await session.execute(select(Thread.case_id).join(
            ThreadMessage, ThreadMessage.thread_id == Thread.id).where(
            ThreadMessage.text.like(pattern, escape="\\")))).scalars())
        found |= set((await session.execute(select(Case.id).where(
            Case.school_id == school_id, Case.subject.like(pattern, escape="\\")))).scalars())
    return {i for i in found if i is not None}


async def case_list(*, session: AsyncSession, school_id: int, filters: Filters, zone: ZoneInfo,
                    closed: bool = False, only: set[int] | None = None) -> list[Row]:
    """Open cases (most urgent first, then longest waiting), or closed ones (newest first), of one school.

    only: the ids the reader may see (a head teacher's shared cases); None means every case of the school.
    """
    query = select(Case).where(Case.school_id == school_id)
    query = query.where(Case.status == "closed") if closed else query.where(Case.status.in_(OPEN_STATUSES))
    if filters.level:
        query = query.where(Case.level == filters.level)
    if filters.status:
        query = query.where(Case.status == filters.status)
    if filters.outcome:
        query = query.where(Case.outcome == filters.outcome)
    if filters.holder_id is not None:
        query = query.where(Case.acknowledged_by_id == (filters.holder_id or None)) if filters.holder_id else \
            query.where(Case.acknowledged_by_id.is_(None))
    if filters.group_id:
        query = query.where(Case.group_id == filters.group_id)
    if filters.since:
        query = query.where(Case.created_at >= _day_start(filters.since, zone))
    if filters.until:
        query = query.where(Case.created_at < _day_start(filters.until + timedelta(days=1), zone))
    ids = await _search_ids(session, school_id, filters.search, texts=closed)
    if ids is not None:
        query = query.where(Case.id.in_(ids or {0}))
    if only is not None:
        query = query.where(Case.id.in_(only or {0}))
    order = (Case.closed_at.desc(), Case.id.desc()) if closed else (Case.id,)
    cases = list((await session.execute(query.order_by(*order).limit(LIMIT))).scalars())
    if not closed:
        cases.sort(key=lambda c: (-RANK[c.level], c.created_at, c.id))
    rows = await _rows(session, cases)
    if filters.category:
        rows = [r for r in rows if filters.category in r.categories]
    return rows


async def earlier_cases(*, session: AsyncSession, case: Case) -> list[Case]:
    """Other cases of the same named student (same name, same class or dorm), newest first."""
    if not case.subject.strip() or case.source == "mailbox":
        return []
    same_group = Case.group_id.is_(None) if case.group_id is None else Case.group_id == case.group_id
    return list((await session.execute(select(Case).where(
        Case.school_id == case.school_id, Case.subject == case.subject.strip(), Case.id != case.id, same_group,
    ).order_by(Case.id.desc()).limit(20))).scalars())
