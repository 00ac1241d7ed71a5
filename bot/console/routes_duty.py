"""The duty roster in the console (issue 17): a grid of the next days with its two forms (a weekly slot, a
dated override). It calls the same service as the CLI (crisis.roster); every change is audited."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from starlette.responses import Response
from starlette.routing import Route

from bot.console import texts
from bot.console.context import PREFIX, Console, Ctx, view
from bot.console.pages import FormError, redirect, render
from bot.console.routes_school import LIMITS, require
from bot.db.models import Person
from bot.services.crisis.roster import DAY, Roster, add_override, set_slot

_HHMM = re.compile(r"(\d{1,2}):(\d{2})")
DAY_SETS = {"mon-fri": [0, 1, 2, 3, 4], "sat-sun": [5, 6], "all": list(range(7)),
            **{str(d): [d] for d in range(7)}}


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
    require(ctx, {"admin", "leader", "counsellor"})
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
    require(ctx, {"admin"})
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
    require(ctx, {"admin"})
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


def routes(console: Console) -> list[Route]:
    """The duty roster's page and its two forms."""
    return [
        Route("/school/duty", view(console, duty_page), methods=["GET"]),
        Route("/school/duty/slot", view(console, duty_set, limits=LIMITS), methods=["POST"]),
        Route("/school/duty/override", view(console, duty_override, limits=LIMITS), methods=["POST"]),
    ]
