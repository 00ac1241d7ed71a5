"""The figures for supervision in the console (issue 17), with their downloads. It calls the same services as
the CLI (supervision.figures/export); every export is audited."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from starlette.responses import Response
from starlette.routing import Route

from bot.console import texts
from bot.console.context import Console, Ctx, view
from bot.console.pages import HEADERS, FormError, render
from bot.console.routes_school import FORMATS, require
from bot.services.crisis.access import Refused
from bot.services.supervision import export
from bot.services.supervision.figures import RULE, compute
from bot.services.supervision.period import Period, PeriodError, choose


def _period(ctx: Ctx) -> tuple[str, Period | None, str]:
    q = ctx.request.query_params
    kind = q.get("kind", "term")
    if kind not in texts.FIGURES_KIND:
        raise FormError("bad")
    today = ctx.now.astimezone(ctx.console.settings.zone).date()
    try:
        return kind, choose(kind, today, q.get("from", "")[:20] or None, q.get("to", "")[:20] or None), ""
    except PeriodError as err:
        return kind, None, str(err)


def _charts(sections: list) -> list[dict[str, object]]:  # noqa: ANN001
    """ECharts options for the school-level sections (never a breakdown below the school: no small counts)."""
    out: list[dict[str, object]] = []
    by_key = {s.key: s for s in sections}
    source = by_key.get("reports_by_source")
    if source is not None and not source.below_school:
        rows = [r for r in source.rows if r and r[0] != source.columns[-1] and r[0] != "合计"]
        levels = source.columns[1:-1]
        out.append({"id": "chart-reports", "option": {
            "title": {"text": texts.FIGURES_CHART_SOURCE, "textStyle": {"fontSize": 14}},
            "tooltip": {}, "legend": {"top": 24}, "grid": {"top": 60},
            "xAxis": {"type": "category", "data": [str(r[0]) for r in rows]}, "yAxis": {"type": "value"},
            "series": [{"name": level, "type": "bar", "stack": "level",
                        "data": [r[i + 1] if isinstance(r[i + 1], int) else 0 for r in rows]}
                       for i, level in enumerate(levels)]}})
    closed = by_key.get("cases_closed")
    if closed is not None and not closed.below_school:
        rows = [r for r in closed.rows if len(r) >= 2 and isinstance(r[1], int) and r[0] != "合计"]
        out.append({"id": "chart-closed", "option": {
            "title": {"text": texts.FIGURES_CHART_CLOSED, "textStyle": {"fontSize": 14}}, "tooltip": {},
            "series": [{"name": closed.columns[1], "type": "pie", "radius": "55%", "top": 30,
                        "data": [{"name": str(r[0]), "value": r[1]} for r in rows]}]}})
    return out


async def figures_page(ctx: Ctx) -> Response:
    require(ctx, {"admin", "leader"})
    kind, period, error = _period(ctx)
    q = ctx.request.query_params
    base = {"kind": kind, "first": q.get("from", "")[:20], "last": q.get("to", "")[:20], "rule": RULE,
            "kinds": texts.FIGURES_KIND}
    if period is None:
        return render("school_figures.html", status=400, **ctx.page(**base, figures=None, error=error, charts=[],
                                                                   query=""))
    figures = await compute(session=ctx.session, school_id=ctx.staff.school_id, period=period,
                            zone=ctx.console.settings.zone, now=ctx.now, actor=f"person:{ctx.staff.id}",
                            address=ctx.address)
    charts = [{"id": c["id"], "json": json.dumps(c["option"], ensure_ascii=False)} for c in _charts(figures.sections)]
    query = urlencode({k: v for k, v in (("kind", kind), ("from", base["first"]), ("to", base["last"])) if v})
    return render("school_figures.html", **ctx.page(**base, figures=figures, error="", charts=charts, query=query))


async def figures_export(ctx: Ctx) -> Response:
    require(ctx, {"admin", "leader"})
    fmt = ctx.request.path_params["fmt"]
    if fmt not in export.WRITERS:
        raise Refused("unknown")
    _kind_, period, error = _period(ctx)
    if period is None:
        raise FormError("bad", error)
    figures = await compute(session=ctx.session, school_id=ctx.staff.school_id, period=period,
                            zone=ctx.console.settings.zone, now=ctx.now, actor=f"person:{ctx.staff.id}",
                            address=ctx.address)
    ctx.audit("report.export", target=f"{fmt}:period:{period.first}..{period.last}")
    name = f"supervision-{period.first}-{period.last}.{fmt}"
    headers = {**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(export.WRITERS[fmt](figures), media_type=FORMATS.get(fmt, "application/octet-stream"),
                    headers=headers)


def routes(console: Console) -> list[Route]:
    """The figures page and its downloads."""
    return [
        Route("/school/figures", view(console, figures_page), methods=["GET"]),
        Route("/school/figures/export.{fmt}", view(console, figures_export), methods=["GET"]),
    ]
