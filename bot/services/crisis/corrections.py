"""Counsellors' level corrections as labelled lines for improving triage: each report of a case whose level
a counsellor changed, with the level the counsellor chose (the label) beside the level triage gave it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Case, CaseEvent, Report


async def corrections(*, session: AsyncSession, school_id: int, since: datetime) -> list[dict[str, Any]]:
    """One labelled line per report of each corrected case, oldest correction first (the latest label wins)."""
    changes = list((await session.execute(
        select(CaseEvent).join(Case, Case.id == CaseEvent.case_id).where(
            Case.school_id == school_id, CaseEvent.kind == "level_changed", CaseEvent.at >= since)
        .order_by(CaseEvent.at, CaseEvent.id))).scalars())
    latest: dict[int, CaseEvent] = {}
    for change in changes:
        latest[change.case_id] = change
    lines: list[dict[str, Any]] = []
    for case_id, change in sorted(latest.items(), key=lambda kv: (kv[1].at, kv[1].id)):
        detail = dict(change.detail or {})
        reports = (await session.execute(select(Report).where(Report.case_id == case_id, Report.created_at <= change.at)
                                         .order_by(Report.id))).scalars()
        lines.extend(_lines(case_id, change, detail, reports))
    return lines


def _lines(case_id: int, change: CaseEvent, detail: dict[str, Any], reports: Any) -> Iterator[dict[str, Any]]:
    for report in reports:
        if not report.text:
            continue
        yield {"id": f"case{case_id}-report{report.id}", "text": report.text, "level": detail.get("to"),
               "accept": [detail.get("to")], "triage_level": report.level, "categories": report.categories,
               "case": case_id, "from": detail.get("from"), "reason": detail.get("reason", ""),
               "corrected_at": change.at.isoformat()}
