"""`xinqiao institutions add|list`: the hospitals and clinics the school refers to."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.students import CLI, _run
from bot.services.students import institutions

institutions_app = typer.Typer(help="The hospitals and clinics the school refers to.", no_args_is_help=True)
out = Console()


@institutions_app.command("add")
def add_institution(name: str = typer.Option(..., "--name"), department: str = typer.Option("", "--department"),
                    phone: str = typer.Option("", "--phone")) -> None:
    """Add a hospital or clinic to the school's list."""
    async def work(session, school_id):
        row = await institutions.add_institution(session=session, school_id=school_id, name=name,
                                                 department=department, phone=phone, viewer=CLI)
        return row.id

    typer.echo(f"institution {_run(work)} added")


@institutions_app.command("list")
def list_institutions() -> None:
    """The school's hospitals and clinics."""
    async def work(session, school_id):
        return [(r.id, r.name, r.department, r.phone)
                for r in await institutions.list_institutions(session=session, school_id=school_id)]

    table = Table("id", "name", "department", "phone")
    for row in _run(work):
        table.add_row(*(str(v) for v in row))
    out.print(table)
