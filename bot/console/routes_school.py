"""Running a school in the console (issue 17): the roster import (upload, dry run, apply), the duty roster as a
grid with its two forms, and the figures for supervision with their downloads. Each calls the same service as
the CLI (roster_import.run, crisis.roster, supervision.figures/export); every change and export is audited."""

from __future__ import annotations

import json
import re
import secrets
import time as clock_time
from datetime import date, datetime, time, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console import texts
from bot.console.context import PREFIX, Console, Ctx, view
from bot.console.pages import HEADERS, FormError, error_page, redirect, render
from bot.db.models import Person
from bot.services.crisis.access import Refused
from bot.services.crisis.roster import DAY, Roster, add_override, set_slot
from bot.services.school.roster_import.kinds import KINDS
from bot.services.school.roster_import.reading import ImportFileError
from bot.services.school.roster_import.run import Preview, run_import
from bot.services.school.roster_import.template import template_bytes
from bot.services.supervision import export
from bot.services.supervision.figures import RULE, compute
from bot.services.supervision.period import Period, PeriodError, choose
from bot.texts import school as school_texts

UPLOAD_MAX = 5 * 1024 * 1024  # a roster of 50,000 rows fits; larger is refused (413) before it is parsed
UPLOAD_KEEP = 3600  # seconds an uploaded file waits for its apply step
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
UPLOAD_SCOPE = "xq_upload"
LIMITS = {"csrf": 100, "kind": 16, "token": 64, "name": 200, "days": 8, "from": 5, "to": 5, "person": 12,
          "backup": 12, "first": 10, "last": 10, "note": 200}
SUFFIXES = {".csv", ".xlsx", ".xlsm", ".xls", ".txt"}
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
DAY_SETS = {"mon-fri": [0, 1, 2, 3, 4], "sat-sun": [5, 6], "all": list(range(7)),
            **{str(d): [d] for d in range(7)}}
_HHMM = re.compile(r"(\d{1,2}):(\d{2})")


def _require(ctx: Ctx, roles: set[str]) -> None:
    if not ctx.staff.role_set & roles:
        raise Refused("forbidden")


# ---------------------------------------------------------------- roster import

def _upload_dir(ctx: Ctx) -> Path:
    folder = ctx.console.settings.data_dir / "uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    cutoff = clock_time.time() - UPLOAD_KEEP
    for old in folder.glob("roster-*"):  # an abandoned preview's file does not stay
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass
    return folder


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]] | None:
    """The fields and files of a multipart/form-data body (stdlib parser); None when it is not one."""
    message = BytesParser(policy=policy.HTTP).parsebytes(b"Content-Type: " + content_type.encode("latin-1")
                                                         + b"\r\n\r\n" + body)
    if not message.is_multipart():
        return None
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or len(fields) + len(files) > 20:
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            filename = filename.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            files[name] = (Path(filename.replace("\\", "/")).name[:200], bytes(payload))
        else:
            fields[name] = bytes(payload).decode("utf-8", "replace")[:300]
    return fields, files


def upload_view(console: Console, handler):  # noqa: ANN001, ANN201 - a view endpoint for one file upload
    """view() for a multipart form: the body is bounded and parsed here; its plain fields go on to view() as an
    ordinary form (so CSRF, the session and the transaction work as everywhere), the file rides in the scope."""
    inner = view(console, handler, limits=LIMITS)

    async def endpoint(request: Request) -> Response:
        kind = request.headers.get("content-type", "")
        if kind.split(";")[0].strip().lower() != "multipart/form-data":
            return error_page("media")
        too_large = texts.IMPORT_ERRORS["too_large"].format(mb=UPLOAD_MAX // (1024 * 1024))
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > UPLOAD_MAX + 64 * 1024:
            return error_page("too_large", too_large)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > UPLOAD_MAX + 64 * 1024:
                return error_page("too_large", too_large)
        parsed = _parse_multipart(kind, bytes(body))
        if parsed is None:
            return error_page("bad")
        fields, files = parsed
        encoded = urlencode(fields).encode("utf-8")
        scope = dict(request.scope)
        scope["headers"] = [(k, v) for k, v in request.scope["headers"] if k not in (b"content-type",
                                                                                  b"content-length")]
        scope["headers"] += [(b"content-type", b"application/x-www-form-urlencoded"),
                             (b"content-length", str(len(encoded)).encode())]
        scope[UPLOAD_SCOPE] = files
        sent = False

        async def receive() -> dict[str, object]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": encoded, "more_body": False}
            return {"type": "http.disconnect"}

        return await inner(Request(scope, receive))

    return endpoint


def _import_page(ctx: Ctx, *, status: int = 200, **extra: object) -> Response:
    kinds = {name: module.TITLE for name, module in KINDS.items()}
    context: dict[str, object] = {"kinds": kinds, "mb": UPLOAD_MAX // (1024 * 1024), "actions": school_texts.ACTIONS,
                                   "preview": None, "error": "", "token": "", "kind": "", "name": "", **extra}
    return render("school_import.html", status=status, **ctx.page(**context))


async def import_page(ctx: Ctx) -> Response:
    _require(ctx, {"admin"})
    return _import_page(ctx)


async def template(ctx: Ctx) -> Response:
    _require(ctx, {"admin"})
    kind, fmt = ctx.request.path_params["kind"], ctx.request.path_params["fmt"]
    if kind not in KINDS or fmt not in ("csv", "xlsx"):
        raise Refused("unknown")
    headers = {**HEADERS, "Content-Disposition": f'attachment; filename="roster-{kind}.{fmt}"'}
    return Response(template_bytes(kind, fmt), media_type=FORMATS[fmt], headers=headers)


def _kind(ctx: Ctx) -> str:
    kind = ctx.form.get("kind", "")
    if kind not in KINDS:
        raise FormError("bad", texts.IMPORT_ERRORS["kind"])
    return kind


async def _run(ctx: Ctx, kind: str, data: bytes, name: str, dry_run: bool) -> Preview | str:
    try:
        return await run_import(session=ctx.session, school_id=ctx.staff.school_id, kind=kind, data=data, name=name,
                                dry_run=dry_run, actor=f"person:{ctx.staff.id}", address=ctx.address)
    except ImportFileError as err:
        return str(err)


async def import_preview(ctx: Ctx) -> Response:
    _require(ctx, {"admin"})
    kind = _kind(ctx)
    files: dict[str, tuple[str, bytes]] = ctx.request.scope.get(UPLOAD_SCOPE, {})
    name, data = files.get("file", ("", b""))
    if not name:
        return _import_page(ctx, status=400, error=texts.IMPORT_ERRORS["no_file"], kind=kind)
    if not data:
        return _import_page(ctx, status=400, error=texts.IMPORT_ERRORS["empty"], kind=kind)
    result = await _run(ctx, kind, data, name, dry_run=True)
    if isinstance(result, str):
        return _import_page(ctx, status=400, error=result, kind=kind)
    token = ""
    if not result.problems:
        token = secrets.token_urlsafe(24)
        suffix = Path(name).suffix.lower()
        path = _upload_dir(ctx) / f"roster-{ctx.staff.id}-{kind}-{token}{suffix if suffix in SUFFIXES else ''}"
        path.write_bytes(data)
        path.chmod(0o600)
    ctx.audit("roster.preview", target=f"{kind}:rows:{len(result.rows) + len(result.problems)}")
    return _import_page(ctx, status=200 if not result.problems else 400, preview=result, token=token, kind=kind,
                        name=name)


async def import_apply(ctx: Ctx) -> Response:
    _require(ctx, {"admin"})
    kind, token, name = _kind(ctx), ctx.form.get("token", ""), ctx.form.get("name", "")
    folder = _upload_dir(ctx)
    found = [p for p in folder.glob(f"roster-{ctx.staff.id}-{kind}-{token}*")] if TOKEN.fullmatch(token) else []
    if len(found) != 1:
        return _import_page(ctx, status=400, error=texts.IMPORT_ERRORS["expired"], kind=kind)
    path = found[0]
    data = path.read_bytes()
    try:
        result = await _run(ctx, kind, data, name or path.name, dry_run=False)
    finally:
        path.unlink(missing_ok=True)
    if isinstance(result, str):
        return _import_page(ctx, status=400, error=result, kind=kind)
    return _import_page(ctx, status=200 if result.applied else 400, preview=result, kind=kind, name=name)


# ---------------------------------------------------------------- duty roster

def _minute(raw: str) -> int:
    m = _HHMM.fullmatch(raw.strip())
    if not m or int(m.group(1)) > 24 or int(m.group(2)) > 59 or (int(m.group(1)) == 24 and m.group(2) != "00"):
        raise FormError("bad", texts.DUTY_ERRORS["time"])
    return int(m.group(1)) * 60 + int(m.group(2))


def hhmm(minute: int) -> str:
    """480 -> 08:00."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


async def _counsellor(ctx: Ctx, field: str, required: bool) -> Person | None:
    raw = ctx.form.get(field, "").strip()
    if not raw and not required:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        raise FormError("bad", texts.DUTY_ERRORS["person"])
    person = await ctx.session.get(Person, int(raw))
    if person is None or person.school_id != ctx.staff.school_id or not person.role_set & {"counsellor", "leader"}:
        raise FormError("bad", texts.DUTY_ERRORS["person"])
    return person


def _date(raw: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise FormError("bad", texts.DUTY_ERRORS["date"]) from exc


def _days(roster: Roster, now: datetime, zone, names: dict[int, str]) -> tuple[list[dict[str, object]], int]:  # noqa: ANN001
    """The next 14 school dates, each as its covered stretches and its gaps (red), in time order."""
    gaps = roster.gaps(now, 14)
    today = now.astimezone(zone).date()
    out = []
    for n in range(15):
        day = today + timedelta(days=n)
        start = datetime.combine(day, time(0), zone)
        end = start + timedelta(days=1)
        parts: list[dict[str, object]] = []
        override = roster.override_on(day)
        if override is not None:
            parts.append({"from": "00:00", "to": "24:00", "who": names.get(override.person_id, "?"),
                          "backup": names.get(override.backup_person_id or 0, ""), "source": "override",
                          "note": override.note, "at": 0})
        else:
            for s in roster.slots:
                if s.weekday == day.weekday():
                    parts.append({"from": hhmm(s.start_minute), "to": hhmm(s.end_minute),
                                  "who": names.get(s.person_id, "?"), "backup": names.get(s.backup_person_id or 0, ""),
                                  "source": "slot", "note": "", "at": s.start_minute})
        for g in gaps:
            a, b = max(g.start, start), min(g.end, end)
            if a < b:
                la, lb = a.astimezone(zone), b.astimezone(zone)
                to = DAY if lb.date() > day else lb.hour * 60 + lb.minute
                parts.append({"from": hhmm(la.hour * 60 + la.minute), "to": hhmm(to), "who": "", "backup": "",
                              "source": "gap", "note": "", "at": la.hour * 60 + la.minute})
        if n == 14 and not parts:
            continue
        out.append({"day": day, "weekday": texts.DUTY_WEEKDAYS[day.weekday()],
                    "parts": sorted(parts, key=lambda p: int(str(p["at"])))})
    return out, len(gaps)


async def duty_page(ctx: Ctx) -> Response:
    _require(ctx, {"admin", "leader", "counsellor"})
    zone = ctx.console.settings.zone
    roster = await Roster.load(session=ctx.session, school_id=ctx.staff.school_id, zone=zone)
    people = list((await ctx.session.execute(select(Person).where(Person.school_id == ctx.staff.school_id)
                                             .order_by(Person.name))).scalars())
    names = {p.id: p.name for p in people}
    days, gap_count = _days(roster, ctx.now, zone, names)
    week = [[{"from": hhmm(s.start_minute), "to": hhmm(s.end_minute), "who": names.get(s.person_id, "?"),
              "backup": names.get(s.backup_person_id or 0, "")} for s in roster.slots if s.weekday == d]
            for d in range(7)]
    today = ctx.now.astimezone(zone).date()
    overrides = sorted((o for o in roster.overrides if o.ends_on >= today), key=lambda o: o.starts_on)
    counsellors = [p for p in people if p.role_set & {"counsellor", "leader"}]
    done = texts.DUTY_DONE.get(ctx.request.query_params.get("done", ""), "")
    return render("school_duty.html", **ctx.page(
        days=days, gap_count=gap_count, week=week, overrides=overrides, names=names, counsellors=counsellors,
        may_edit="admin" in ctx.staff.role_set, done=done, day_choices=texts.DUTY_DAY_CHOICES))


async def duty_set(ctx: Ctx) -> Response:
    _require(ctx, {"admin"})
    weekdays = DAY_SETS.get(ctx.form.get("days", ""))
    if not weekdays:
        raise FormError("bad", texts.DUTY_ERRORS["days"])
    a, b = _minute(ctx.form.get("from", "")), _minute(ctx.form.get("to", ""))
    if a == b or a == DAY:
        raise FormError("bad", texts.DUTY_ERRORS["time"])
    who = await _counsellor(ctx, "person", required=False)
    spare = await _counsellor(ctx, "backup", required=False) if who else None
    for weekday in weekdays:
        await set_slot(session=ctx.session, school_id=ctx.staff.school_id, weekday=weekday, start=a,
                       end=b % DAY or DAY, person_id=who.id if who else None, backup_id=spare.id if spare else None)
    ctx.audit("duty.set" if who else "duty.clear",
              target=f"days:{ctx.form['days']},{hhmm(a)}-{hhmm(b)}" + (f",person:{who.id}" if who else ""))
    return redirect(f"{PREFIX}/school/duty?done=set")


async def duty_override(ctx: Ctx) -> Response:
    _require(ctx, {"admin"})
    first, last = _date(ctx.form.get("first", "")), _date(ctx.form.get("last", ""))
    if last < first:
        raise FormError("bad", texts.DUTY_ERRORS["range"].format(first=first, last=last))
    who = await _counsellor(ctx, "person", required=True)
    assert who is not None
    spare = await _counsellor(ctx, "backup", required=False)
    row = await add_override(session=ctx.session, school_id=ctx.staff.school_id, starts_on=first, ends_on=last,
                             person_id=who.id, backup_id=spare.id if spare else None,
                             note=ctx.form.get("note", "").strip())
    ctx.audit("duty.override", target=f"override:{row.id},{first}..{last},person:{who.id}")
    return redirect(f"{PREFIX}/school/duty?done=override")


# ---------------------------------------------------------------- figures for supervision

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
    _require(ctx, {"admin", "leader"})
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
    _require(ctx, {"admin", "leader"})
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
    """The school pages: import, duty, figures."""
    return [
        Route("/school/import", view(console, import_page), methods=["GET"]),
        Route("/school/import", upload_view(console, import_preview), methods=["POST"]),
        Route("/school/import/apply", view(console, import_apply, limits=LIMITS), methods=["POST"]),
        Route("/school/import/template/{kind}.{fmt}", view(console, template), methods=["GET"]),
        Route("/school/duty", view(console, duty_page), methods=["GET"]),
        Route("/school/duty/slot", view(console, duty_set, limits=LIMITS), methods=["POST"]),
        Route("/school/duty/override", view(console, duty_override, limits=LIMITS), methods=["POST"]),
        Route("/school/figures", view(console, figures_page), methods=["GET"]),
        Route("/school/figures/export.{fmt}", view(console, figures_export), methods=["GET"]),
    ]
