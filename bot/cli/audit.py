"""`xinqiao audit list`: the audit trail (who, when, what, from where), never message text."""

from __future__ import annotations

from datetime import date, datetime, time

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.common import load_settings, run_in_session
from bot.services.school import audit
from bot.services.school.people import find_person

audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


@audit_app.command("list")
def list_entries(
    since: str = typer.Option(None, "--since", help="from this date (YYYY-MM-DD, school time)"),
    person: str = typer.Option(None, "--person", help="entries by this person"),
    case: int = typer.Option(None, "--case", help="entries about this case"),
    limit: int = typer.Option(500, "--limit", min=1, max=100000),
) -> None:
    """Entries newest first, in school time."""
    settings = load_settings()
    zone = settings.zone
    start = None
    if since:
        try:
            start = datetime.combine(date.fromisoformat(since), time.min, zone)
        except ValueError as exc:
            err.print(f"[red]--since {since!r}: write a date as YYYY-MM-DD[/red]")
            raise typer.Exit(2) from exc

    async def work(session, school_id):
        actor = None
        if person:
            try:
                actor = f"person:{(await find_person(session=session, school_id=school_id, ref=person)).id}"
            except ValueError as exc:
                err.print(f"[red]{exc}[/red]")
                raise typer.Exit(2) from exc
        found = await audit.entries(session, school_id=school_id, since=start, actor=actor,
                                    target=f"case:{case}" if case is not None else None, limit=limit)
        audit.record(session, actor="cli", action="audit.list", school_id=school_id)
        return found

    entries = run_in_session(settings, work)
    table = Table(title=f"audit entries ({'Asia/Shanghai' if zone.key == 'Asia/Shanghai' else zone.key})")
    for col in ("at", "actor", "action", "target", "address"):
        table.add_column(col)
    for e in entries:
        table.add_row(f"{e.at.astimezone(zone):%Y-%m-%d %H:%M:%S}", e.actor, e.action, e.target, e.address or "")
    out.print(table)
