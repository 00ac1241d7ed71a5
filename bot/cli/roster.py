"""`xinqiao roster template|import`: load classes and dorms, staff and committee members from CSV or XLSX."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from bot.cli.common import run_in_session
from bot.services.school.roster_import.kinds import KINDS
from bot.services.school.roster_import.reading import ImportFileError
from bot.services.school.roster_import.run import run_import
from bot.services.school.roster_import.template import write_template
from bot.texts import school as texts

roster_app = typer.Typer(help="The roster: classes and dorms, staff, committee members (CSV or XLSX).",
                         no_args_is_help=True)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
KIND_HELP = " | ".join(KINDS)


@roster_app.command("template")
def template(kind: str = typer.Argument(..., help=KIND_HELP),
             to: Path = typer.Option(..., "--out", help="FILE.csv or FILE.xlsx")) -> None:  # noqa: B008
    """Write a template with the columns in Chinese and example rows."""
    try:
        write_template(kind, to)
    except ImportFileError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    out.print(f"模板已写入 {to}")


@roster_app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="a .csv (UTF-8 or GBK) or .xlsx file"),  # noqa: B008
    kind: str = typer.Option(..., "--kind", help=KIND_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help="show what would change, write nothing"),
    as_json: bool = typer.Option(False, "--json", help="print the preview as JSON"),
    unchanged: bool = typer.Option(False, "--all", help="list unchanged rows too"),
) -> None:
    """Import one roster file; exit 1 (nothing written) when a row is bad, 2 when the file cannot be read."""
    from bot.cli.common import load_settings

    settings = load_settings()
    try:
        data = file.read_bytes()
    except OSError as exc:
        err.print(f"[red]{file}：无法读取（{exc.strerror}）[/red]")
        raise typer.Exit(2) from exc

    async def work(session, school_id):
        return await run_import(session=session, school_id=school_id, kind=kind, data=data, name=file.name,
                                dry_run=dry_run)

    try:
        preview = run_in_session(settings, work)
    except ImportFileError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(preview.as_dict(), ensure_ascii=False))
    else:
        for line in preview.lines(unchanged=unchanged):
            out.print(f"[red]{line}[/red]" if "有问题" in line else line)
        out.print(preview.summary)
    if preview.problems:
        err.print(f"[red]{texts.HAS_BAD_ROWS.format(count=len(preview.problems))}[/red]")
        raise typer.Exit(1)
    out.print(texts.DRY_RUN if dry_run else texts.APPLIED.format(
        added=preview.count("add"), changed=preview.count("change"), unchanged=preview.count("same")))
