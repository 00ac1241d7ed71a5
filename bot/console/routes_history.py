"""Closed cases, searchable (outcome, dates, class, words), with a CSV export; the audit page for leaders."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from bot.console import texts
from bot.console.context import Console, Ctx, view
from bot.console.pages import HEADERS, FormError, render
from bot.console.routes_cases import _choices, _day, _only, filters_from
from bot.db.models_cases import OUTCOMES
from bot.services.crisis.access import Refused
from bot.services.crisis.case_lists import case_list
from bot.services.school import audit
from bot.services.school.people import find_person

AUDIT_ROLES = {"leader", "admin"}


async def history(ctx: Ctx) -> Response:
    only = await _only(ctx)
    filters = filters_from(ctx, closed=True)
    rows = await case_list(session=ctx.session, school_id=ctx.staff.school_id, filters=filters,
                           zone=ctx.console.settings.zone, closed=True, only=only)
    if filters.search:
        ctx.audit("history.search")
    return render("history.html", **ctx.page(rows=rows, f=filters, zone=ctx.console.settings.zone,
                                            outcomes=OUTCOMES, query=ctx.request.url.query, **await _choices(ctx)))


async def history_csv(ctx: Ctx) -> Response:
    only = await _only(ctx)
    rows = await case_list(session=ctx.session, school_id=ctx.staff.school_id, filters=filters_from(ctx, True),
                           zone=ctx.console.settings.zone, closed=True, only=only)
    zone = ctx.console.settings.zone
    out = io.StringIO()
    writer = _SafeWriter(csv.writer(out))
    writer.writerow(["案例", "级别", "来源", "学生", "负责", "结果", "开案", "结案"])
    for r in rows:
        c = r.case
        anonymous = c.source == "mailbox"
        writer.writerow([c.id, texts.LEVEL_NAMES[c.level], texts.SOURCE_MAILBOX if anonymous else r.group,
                         "" if anonymous else c.subject, r.holder, texts.OUTCOME_NAMES.get(c.outcome or "", ""),
                         f"{c.created_at.astimezone(zone):%Y-%m-%d %H:%M}",
                         f"{c.closed_at.astimezone(zone):%Y-%m-%d %H:%M}" if c.closed_at else ""])
    ctx.audit("history.export", target=f"cases:{len(rows)}")
    headers = dict(HEADERS, **{"Content-Disposition": 'attachment; filename="closed-cases.csv"'})
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


class _SafeWriter:
    """A CSV writer whose cells never start a formula in Excel (=, +, -, @ get a leading apostrophe)."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer

    def writerow(self, row: list[object]) -> None:
        self.writer.writerow([f"'{c}" if isinstance(c, str) and c[:1] in ("=", "+", "-", "@", "\t", "\r") else c
                              for c in row])


async def audit_page(ctx: Ctx) -> Response:
    if not ctx.staff.role_set & AUDIT_ROLES:
        raise Refused("forbidden")
    q = ctx.request.query_params
    since = _day(q.get("since", ""))
    person_ref, case_ref = q.get("person", "").strip()[:100], q.get("case", "").strip().lstrip("#")
    actor = None
    if person_ref:
        try:
            found = await find_person(session=ctx.session, school_id=ctx.staff.school_id, ref=person_ref)
            actor = f"person:{found.id}"
        except ValueError:
            actor = "person:0"
    if case_ref and not (case_ref.isascii() and case_ref.isdigit() and len(case_ref) < 10):
        raise FormError("bad")
    zone = ctx.console.settings.zone
    entries = await audit.entries(ctx.session, school_id=ctx.staff.school_id, actor=actor,
                                  since=datetime.combine(since, time.min, zone) if since else None,
                                  target=f"case:{case_ref}" if case_ref else None, limit=300)
    ctx.audit("audit.view")
    return render("audit.html", **ctx.page(entries=entries, zone=zone, since=q.get("since", "")[:10],
                                          person=person_ref, case=case_ref))


def routes(console: Console) -> list[Route]:
    """History and audit."""
    return [
        Route("/history", view(console, history), methods=["GET"]),
        Route("/history.csv", view(console, history_csv), methods=["GET"]),
        Route("/audit", view(console, audit_page), methods=["GET"]),
    ]
