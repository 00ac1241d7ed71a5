"""From a red or orange message to a person saying "收到": minutes (median, 90th percentile) by level, and
how many chains went past each step of the escalation.

Each urgent case counts once, at its first chain (the first red or orange message): from the chain's
start to the case's acknowledgement. A chain went past step k when a later step paged (or the chain
went on to its repeats, its fallback, or ran out) before anyone acknowledged.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Case, Escalation, Page
from bot.services.supervision.labels import LEVEL_NAMES
from bot.services.supervision.table import Section, titled

URGENT = ("red", "orange")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank: the smallest value with at least q% at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def median(values: list[float]) -> float:
    """The middle value (the mean of the two middle ones for an even count)."""
    ordered, n = sorted(values), len(values)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


async def section(*, session: AsyncSession, school_id: int, start: datetime, end: datetime) -> Section:
    """The acknowledgement section."""
    every = (await session.execute(
        select(Escalation, Case.acknowledged_at).join(Case, Case.id == Escalation.case_id)
        .where(Case.school_id == school_id).order_by(Escalation.id))).all()
    first: dict[int, tuple[Escalation, datetime | None]] = {}
    for esc, ack in every:
        if esc.steps:  # a chain made only to time an acknowledgement has no steps
            first.setdefault(esc.case_id, (esc, ack))
    chains = [(esc, ack) for esc, ack in first.values()
              if esc.level in URGENT and start <= esc.created_at < end]
    ids = [esc.id for esc, _ack in chains]
    furthest: dict[int, int] = defaultdict(lambda: -1)
    beyond: set[int] = set()
    if ids:
        for esc_id, step, reason in (await session.execute(select(Page.escalation_id, Page.step, Page.reason).where(
                Page.escalation_id.in_(ids)))).all():
            if reason == "step":
                furthest[esc_id] = max(furthest[esc_id], step)
            elif reason in ("repeat", "fallback"):
                beyond.add(esc_id)
    most_steps = max((len(esc.steps) for esc, _ack in chains), default=3)
    columns = ["级别", "案例数", "已确认", "未确认", "中位数（分钟）", "90%分位（分钟）",
               *(f"超过第{k}步" for k in range(1, most_steps + 1))]
    out = titled("acknowledgement", columns)
    for level in URGENT:
        mine = [(esc, ack) for esc, ack in chains if esc.level == level]
        minutes = [max(0.0, (ack - esc.created_at).total_seconds() / 60) for esc, ack in mine if ack is not None]
        passed = []
        for k in range(1, most_steps + 1):
            passed.append(sum(1 for esc, _ack in mine
                              if furthest[esc.id] >= k or esc.id in beyond or esc.state == "exhausted"
                              and len(esc.steps) >= k))
        out.rows.append([LEVEL_NAMES[level], len(mine), len(minutes), len(mine) - len(minutes),
                         round(median(minutes), 1) if minutes else "—",
                         round(percentile(minutes, 90), 1) if minutes else "—", *passed])
    return out
