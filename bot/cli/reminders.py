"""`xinqiao reminders list`: every scheduled push (reminders, check-ins, notices) with its due time and state."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from bot.cli.common import run_in_session
from bot.db.models import OutboxMessage, Person

reminders_app = typer.Typer(help="Scheduled pushes.", no_args_is_help=True)
out = Console()
WIDE = 120  # narrower terminals get the table without the text column (readable at 80)


@reminders_app.command("list")
def list_command(pending: bool = typer.Option(False, "--pending", help="only those not sent yet"),
                 limit: int = typer.Option(200, "--limit", min=1, help="at most this many, soonest first")) -> None:
    """Every reminder and notice: due time (school time), recipient, channel, state, what for."""
    from bot.cli.common import load_settings

    settings = load_settings()

    async def work(session, _school_id):
        query = (select(OutboxMessage, Person.name).outerjoin(Person, Person.id == OutboxMessage.person_id)
                 .where(OutboxMessage.kind.in_(("reminder", "notice"))))
        if pending:
            query = query.where(OutboxMessage.state == "pending")
        return (await session.execute(query.order_by(OutboxMessage.due_at, OutboxMessage.id).limit(limit))).all()

    rows = run_in_session(settings, work)
    wide = out.width >= WIDE
    columns = ["id", "due", "to", "channel", "kind", "for", "state"]
    table = Table(*columns, *(["text"] if wide else []))
    for row, name in rows:
        state = row.state + (f" ({row.last_error[:30]})" if row.state == "undeliverable" and row.last_error else "")
        cells = [str(row.id), f"{row.due_at.astimezone(settings.zone):%m-%d %H:%M}", (name or "(anonymous)")[:12],
                 row.channel or "sealed", row.kind, row.ref or "", state]
        table.add_row(*cells, *([" ".join(row.text.split())[:40]] if wide else []))
    out.print(f"due times in school time ({settings.timezone})", markup=False)
    out.print(table)
