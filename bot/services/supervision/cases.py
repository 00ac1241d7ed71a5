"""Cases in the period: opened (by level and source), closed (by outcome)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Case
from bot.services.supervision.labels import LEVEL_NAMES, LEVELS, OUTCOME_NAMES, SOURCE_NAMES, TOTAL
from bot.services.supervision.table import Section, titled


async def sections(*, session: AsyncSession, school_id: int, start: datetime, end: datetime) -> list[Section]:
    """Cases opened and cases closed."""
    opened = Counter((level, source) for level, source in (await session.execute(
        select(Case.level, Case.source).where(Case.school_id == school_id, Case.created_at >= start,
                                              Case.created_at < end))).all())
    closed = Counter(outcome for (outcome,) in (await session.execute(select(Case.outcome).where(
        Case.school_id == school_id, Case.closed_at >= start, Case.closed_at < end))).all())
    sources = ("concern", "mailbox")
    first = titled("cases_opened", ["级别", *(SOURCE_NAMES[s] for s in sources), TOTAL])
    for level in LEVELS:
        counts = [opened[(level, s)] for s in sources]
        first.rows.append([LEVEL_NAMES[level], *counts, sum(counts)])
    first.rows.append([TOTAL, *(sum(opened[(lv, s)] for lv in LEVELS) for s in sources), sum(opened.values())])
    second = titled("cases_closed", ["结果", "案例数"])
    for outcome, name in OUTCOME_NAMES.items():
        second.rows.append([name, closed[outcome]])
    second.rows.append([TOTAL, sum(closed.values())])
    return [first, second]
