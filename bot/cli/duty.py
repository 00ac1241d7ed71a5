"""`xinqiao duty set|override|show|check`: the duty roster, in the school's time zone."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.common import run_in_session
from bot.db.base import utcnow
from bot.db.models import Person
from bot.services.crisis.roster import Roster, add_override, set_slot
from bot.services.schedule import schedule_text
from bot.services.school.people import find_person

duty_app = typer.Typer(help="The duty roster: weekly pattern, overrides, gaps.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def fail(message: str) -> typer.Exit:
    """Print a clear message and return the exit to raise (code 2: bad input)."""
    err.print(f"[red]{message}[/red]")
    return typer.Exit(2)


def parse_days(text: str) -> list[int]:
    """`mon-fri`, `sat,sun`, `all`, `daily` -> weekday numbers (0 = Monday)."""
    text = text.strip().lower()
    if text in ("all", "daily", "every"):
        return list(range(7))
    days: list[int] = []
    for part in text.split(","):
        a, _, b = part.strip().partition("-")
        if a[:3] not in WEEKDAYS or (b and b[:3] not in WEEKDAYS):
            raise fail(f"days {text!r}: write mon-fri, sat,sun or all")
        first, last = WEEKDAYS.index(a[:3]), WEEKDAYS.index((b or a)[:3])
        span = range(first, last + 1) if last >= first else [*range(first, 7), *range(0, last + 1)]
        days.extend(d for d in span if d not in days)
    return days


def parse_minute(text: str) -> int:
    """`08:00` -> 480; `24:00` -> 1440."""
    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text)
    if not m or int(m.group(1)) > 24 or int(m.group(2)) > 59 or (int(m.group(1)) == 24 and m.group(2) != "00"):
        raise fail(f"time {text!r}: write HH:MM, e.g. 08:00 or 24:00")
    return int(m.group(1)) * 60 + int(m.group(2))


def parse_date(text: str) -> date:
    """An ISO date."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise fail(f"date {text!r}: write YYYY-MM-DD") from exc


def parse_moment(text: str | None, zone) -> datetime:
    """An ISO 8601 time, in the school's zone when none is given; now when empty."""
    if not text:
        return utcnow()
    try:
        return schedule_text.parse_moment(text, zone)
    except ValueError as exc:
        raise fail(str(exc)) from exc


def hhmm(minute: int) -> str:
    """480 -> `08:00`."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


async def _person(session, school_id: int, ref: str | None) -> Person | None:
    if not ref:
        return None
    try:
        return await find_person(session=session, school_id=school_id, ref=ref)
    except ValueError as exc:
        raise fail(str(exc)) from exc


@duty_app.command("set")
def set_duty(
    days: str = typer.Option(..., "--days", help="mon-fri, sat,sun or all"),
    start: str = typer.Option(..., "--from", help="HH:MM, school time"),
    end: str = typer.Option(..., "--to", help="HH:MM (24:00 for midnight; earlier than --from runs overnight)"),
    person: str = typer.Option(..., "--person", help="the counsellor on duty (name, start of name, or id)"),
    backup: str = typer.Option(None, "--backup", help="the backup"),
) -> None:
    """Put a counsellor on duty in a weekly time range (replacing what it overlaps)."""
    from bot.cli.common import load_settings

    weekdays, a, b = parse_days(days), parse_minute(start), parse_minute(end)
    if a == b or a == 1440:
        raise fail("--from must be before 24:00 and differ from --to")

    async def work(session, school_id):
        who, spare = await _person(session, school_id, person), await _person(session, school_id, backup)
        assert who is not None
        for weekday in weekdays:
            await set_slot(session=session, school_id=school_id, weekday=weekday, start=a, end=b % 1440 or 1440,
                           person_id=who.id, backup_id=spare.id if spare else None)
        return who.name, spare.name if spare else "—"

    name, spare_name = run_in_session(load_settings(), work)
    out.print(f"on duty {', '.join(WEEKDAYS[d] for d in weekdays)} {start}-{end}: {name} (backup {spare_name})")


@duty_app.command("clear")
def clear(
    days: str = typer.Option(..., "--days", help="mon-fri, sat,sun or all"),
    start: str = typer.Option(..., "--from", help="HH:MM, school time"),
    end: str = typer.Option(..., "--to", help="HH:MM (24:00 for midnight; earlier than --from runs overnight)"),
) -> None:
    """Take a weekly time range off the roster (run `duty check` afterwards: it is a gap unless covered)."""
    from bot.cli.common import load_settings

    weekdays, a, b = parse_days(days), parse_minute(start), parse_minute(end)
    if a == b or a == 1440:
        raise fail("--from must be before 24:00 and differ from --to")

    async def work(session, school_id):
        for weekday in weekdays:
            await set_slot(session=session, school_id=school_id, weekday=weekday, start=a, end=b % 1440 or 1440,
                           person_id=None, backup_id=None)

    run_in_session(load_settings(), work)
    out.print(f"cleared {', '.join(WEEKDAYS[d] for d in weekdays)} {start}-{end}")


@duty_app.command("override")
def override(
    start: str = typer.Option(..., "--from", help="first date, YYYY-MM-DD"),
    end: str = typer.Option(..., "--to", help="last date, YYYY-MM-DD (inclusive)"),
    person: str = typer.Option(..., "--person", help="who is on duty all day on those dates"),
    backup: str = typer.Option(None, "--backup", help="the backup"),
    note: str = typer.Option("", "--note", help="why (leave, exam week …)"),
) -> None:
    """Put someone on duty for a date range (leave, exam weeks); it wins over the weekly pattern."""
    from bot.cli.common import load_settings

    first, last = parse_date(start), parse_date(end)
    if last < first:
        raise fail("--to is before --from")

    async def work(session, school_id):
        who, spare = await _person(session, school_id, person), await _person(session, school_id, backup)
        assert who is not None
        row = await add_override(session=session, school_id=school_id, starts_on=first, ends_on=last,
                                 person_id=who.id, backup_id=spare.id if spare else None, note=note)
        return row.id, who.name

    row_id, name = run_in_session(load_settings(), work)
    out.print(f"override #{row_id}: {name} on duty {first} to {last}")


@duty_app.command("show")
def show(at: str = typer.Option(None, "--at", help="a time (ISO 8601, school time by default)")) -> None:
    """The weekly pattern, the overrides to come, and who is on duty at a time (default now)."""
    from bot.cli.common import load_settings

    settings = load_settings()
    moment = parse_moment(at, settings.zone)

    async def work(session, school_id):
        roster = await Roster.load(session=session, school_id=school_id, zone=settings.zone)
        names = {p.id: p.name for p in (await session.execute(Person.__table__.select())).all()}
        return roster, names

    roster, names = run_in_session(settings, work)
    table = Table("day", "from", "to", "on duty", "backup", title="weekly pattern (school time)")
    for s in roster.slots:
        table.add_row(WEEKDAY_NAMES[s.weekday], hhmm(s.start_minute), hhmm(s.end_minute), names[s.person_id],
                      names.get(s.backup_person_id or 0, "—"))
    out.print(table)
    today = moment.astimezone(settings.zone).date()
    upcoming = [o for o in roster.overrides if o.ends_on >= today]
    if upcoming:
        table = Table("#", "from", "to", "on duty", "backup", "note", title="overrides")
        for o in sorted(upcoming, key=lambda o: o.starts_on):
            table.add_row(str(o.id), str(o.starts_on), str(o.ends_on), names[o.person_id],
                          names.get(o.backup_person_id or 0, "—"), o.note)
        out.print(table)
    duty = roster.at(moment)
    when = moment.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M %Z")
    if duty is None:
        out.print(f"[red]{when}: NOBODY on duty[/red]")
    else:
        out.print(f"{when}: {names[duty.person_id]} (backup {names.get(duty.backup_id or 0, '—')}, "
                  f"from the {'override' if duty.source == 'override' else 'weekly pattern'})")


@duty_app.command("check")
def check(days: int = typer.Option(14, "--days", min=1, max=366, help="how far ahead to look")) -> None:
    """Report every gap in the coming days; exit 1 when there is one (nobody on duty is a configuration error)."""
    from bot.cli.common import load_settings

    settings = load_settings()

    async def work(session, school_id):
        roster = await Roster.load(session=session, school_id=school_id, zone=settings.zone)
        return roster.gaps(utcnow(), days)

    gaps = run_in_session(settings, work)
    if not gaps:
        out.print(f"no gaps in the next {days} days")
        return
    for gap in gaps:
        length = (gap.end - gap.start) / timedelta(hours=1)
        out.print(f"[red]gap[/red] {gap.start:%Y-%m-%d %a %H:%M} → {gap.end:%Y-%m-%d %a %H:%M} ({length:.1f} h)")
    err.print(f"[red]{len(gaps)} gap(s) with nobody on duty in the next {days} days[/red]")
    raise typer.Exit(1)

