"""`xinqiao period add|list`: key periods with more frequent check-ins."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.common import run_in_session
from bot.services.schedule.periods import add_period, list_periods, remove_period
from bot.services.schedule.schedule_text import parse_day

period_app = typer.Typer(help="Key periods: exam weeks, after holidays, after a disaster.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


@period_app.command("add")
def add(
    name: str = typer.Option(..., "--name", help="e.g. 期末考试周"),
    start: str = typer.Option(..., "--from", help="first date, YYYY-MM-DD"),
    end: str = typer.Option(..., "--to", help="last date, YYYY-MM-DD (inclusive)"),
    checkin: str = typer.Option(None, "--checkin", help='check-ins in the period, e.g. "Mon,Wed,Fri 16:00"'),
) -> None:
    """Add a key period; during it check-ins follow its rule and say why."""
    from bot.cli.common import load_settings
    from bot.db.base import utcnow

    settings = load_settings()
    today = utcnow().astimezone(settings.zone).date()
    try:
        first, last = parse_day(start, today), parse_day(end, today)
    except ValueError as exc:
        err.print(f"[red]dates: write YYYY-MM-DD ({exc})[/red]")
        raise typer.Exit(2) from exc

    async def work(session, school_id):
        period = await add_period(session=session, school_id=school_id, name=name, starts_on=first, ends_on=last,
                                  checkin=checkin, zone=settings.zone)
        return period.id

    try:
        period_id = run_in_session(settings, work)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    out.print(f"key period #{period_id}: {name} {first} to {last}" + (f", check-ins {checkin}" if checkin else ""))


@period_app.command("list")
def list_command() -> None:
    """Every key period."""
    from bot.cli.common import load_settings

    async def work(session, school_id):
        return await list_periods(session=session, school_id=school_id)

    table = Table("#", "name", "from", "to", "check-ins")
    for p in run_in_session(load_settings(), work):
        table.add_row(str(p.id), p.name, str(p.starts_on), str(p.ends_on), p.checkin or "(the weekly rule)")
    out.print(table)


@period_app.command("remove")
def remove(period_id: int = typer.Argument(..., help="the key period's number (see `period list`)")) -> None:
    """Remove a key period; check-ins go back to the weekly rule for its dates."""
    from bot.cli.common import load_settings

    async def work(session, school_id):
        return (await remove_period(session=session, school_id=school_id, period_id=period_id)).name

    try:
        name = run_in_session(load_settings(), work)
    except LookupError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    out.print(f"key period #{period_id} ({name}) removed")
