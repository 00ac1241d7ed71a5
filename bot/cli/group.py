"""`xinqiao group set|list`: classes and dorms, and the grade of each class (for `--audience grade:N`)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.common import run_in_session
from bot.services.school.grades import grade_from_name, list_groups, set_grade

group_app = typer.Typer(help="Classes and dorms: grades.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


@group_app.command("set")
def set_command(name: str = typer.Argument(..., help="the class, e.g. 初二(3)班"),
                grade: int = typer.Option(..., "--grade", help="1-12 (初一 is 7, 高一 is 10)")) -> None:
    """Set a class's grade."""
    from bot.cli.common import load_settings

    settings = load_settings()

    async def work(session, school_id):
        return (await set_grade(session=session, school_id=school_id, name=name, grade=grade)).name

    try:
        done = run_in_session(settings, work)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    out.print(f"{done}: grade {grade}")


@group_app.command("list")
def list_command() -> None:
    """Every class and dorm with its grade (set, or read from the name)."""
    from bot.cli.common import load_settings

    settings = load_settings()

    async def work(session, school_id):
        return [(g.name, g.kind, g.grade) for g in await list_groups(session=session, school_id=school_id)]

    table = Table("name", "kind", "grade")
    for name, kind, grade in run_in_session(settings, work):
        derived = grade_from_name(name)
        shown = str(grade) if grade is not None else (f"{derived} (from the name)" if derived else "—")
        table.add_row(name, kind, shown)
    out.print(table)
