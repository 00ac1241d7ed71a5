"""Reports in the period: by source and level, by source, category and level, by grade."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Group, Report
from bot.services.school.grades import grade_of
from bot.services.supervision.labels import (
    CATEGORY_NAMES,
    LEVEL_NAMES,
    LEVELS,
    MAILBOX_ROW,
    SCHOOL,
    SOURCE_NAMES,
    SOURCES,
    TOTAL,
    grade_name,
)
from bot.services.supervision.table import Section, protected, titled


async def _rows(session: AsyncSession, school_id: int, start: datetime, end: datetime) -> list[Any]:
    return list((await session.execute(select(Report.kind, Report.level, Report.categories, Report.group_id).where(
        Report.school_id == school_id, Report.created_at >= start, Report.created_at < end))).all())


async def sections(*, session: AsyncSession, school_id: int, start: datetime, end: datetime) -> list[Section]:
    """The three report sections."""
    rows = await _rows(session, school_id, start, end)
    grades = {g.id: grade_of(g) for g in (await session.execute(select(Group).where(
        Group.school_id == school_id))).scalars()}
    by_level = Counter((kind, level) for kind, level, _c, _g in rows)
    level_cols = [LEVEL_NAMES[lv] for lv in LEVELS]
    first = titled("reports_by_source", ["来源", *level_cols, TOTAL])
    for kind in SOURCES:
        counts = [by_level[(kind, lv)] for lv in LEVELS]
        first.rows.append([SOURCE_NAMES[kind], *counts, sum(counts)])
    totals = [sum(by_level[(k, lv)] for k in SOURCES) for lv in LEVELS]
    first.rows.append([TOTAL, *totals, sum(totals)])

    by_category: Counter[tuple[str, str, str]] = Counter()
    for kind, level, categories, _g in rows:
        for category in categories or ["none"]:
            by_category[(kind, category, level)] += 1
    second = titled("reports_by_category", ["来源", "类别", *level_cols, TOTAL])
    for kind in SOURCES:
        for category, name in CATEGORY_NAMES.items():
            counts = [by_category[(kind, category, lv)] for lv in LEVELS]
            if sum(counts):
                second.rows.append([SOURCE_NAMES[kind], name, *counts, sum(counts)])

    by_grade: Counter[tuple[str, str]] = Counter()
    for kind, level, _c, group_id in rows:
        row = MAILBOX_ROW if kind == "mailbox" else grade_name(grades.get(group_id) if group_id else None)
        by_grade[(row, level)] += 1
    third = titled("reports_by_grade", ["年级", *level_cols, TOTAL], below_school=True)
    order = [grade_name(g) for g in range(1, 13)] + [grade_name(None), MAILBOX_ROW]
    names = [name for name in order if any(by_grade[(name, lv)] for lv in LEVELS)]
    grade_counts = [[by_grade[(name, lv)] for lv in LEVELS] for name in names]
    shown = protected([[*row, sum(row)] for row in grade_counts], row_total=True)
    third.rows += [[name, *cells] for name, cells in zip(names, shown, strict=True)]
    third.rows.append([SCHOOL, *totals, sum(totals)])
    return [first, second, third]
