"""`xinqiao report …`: figures for supervision."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from bot.cli.common import run_in_session
from bot.db.base import utcnow
from bot.db.models import School
from bot.services.crisis import abuse
from bot.services.supervision import export, figures, period
from bot.services.supervision.export import WRITERS
from bot.texts import school as texts

report_app = typer.Typer(help="Figures for supervision.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


@report_app.command("abuse")
def abuse_report(days: int = typer.Option(30, "--days", min=1, help="the period, in days up to now"),
                 as_json: bool = typer.Option(False, "--json", help="print a JSON array")) -> None:
    """Per school: students named in many anonymous notes, members whose reports were often false."""
    from bot.cli.common import load_settings

    async def work(session, _school_id):
        names = dict((await session.execute(select(School.id, School.name))).all())
        rows = await abuse.counts(session=session, since=utcnow() - timedelta(days=days))
        return [{"school": names.get(r.school_id, str(r.school_id)), "named_students": r.named_students,
                 "named_notes": r.named_notes, "false_reporters": r.false_reporters,
                 "false_reports": r.false_reports} for r in rows]

    rows = run_in_session(load_settings(), work)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("学校", f"多封匿名信提到的学生（{abuse.NAMED_NOTES}+ 封/{abuse.NAMED_DAYS} 天）", "相关匿名信",
                  f"多次误报的心理委员（{abuse.FALSE_REPORTS}+ 次）", "误报结案",
                  title=f"恶作剧与针对：最近 {days} 天（只提示，不拦截）")
    for r in rows:
        table.add_row(r["school"], str(r["named_students"]), str(r["named_notes"]), str(r["false_reporters"]),
                      str(r["false_reports"]))
    out.print(table)


def _figures(kind: str, first: str | None, last: str | None, fmt: str | None, to: Path | None) -> None:
    from bot.cli.common import load_settings

    settings = load_settings()
    fmt = fmt or (to.suffix.lower().lstrip(".") if to is not None else None)
    if fmt is not None and fmt not in WRITERS:
        err.print(f"[red]--format {fmt!r}：写 csv、xlsx 或 json[/red]")
        raise typer.Exit(2)
    if fmt == "xlsx" and to is None:
        err.print("[red]XLSX 需要 --out FILE.xlsx[/red]")
        raise typer.Exit(2)
    try:
        chosen = period.choose(kind, utcnow().astimezone(settings.zone).date(), first, last)
    except period.PeriodError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc

    async def work(session, school_id):
        return await figures.compute(session=session, school_id=school_id, period=chosen, zone=settings.zone)

    made = run_in_session(settings, work)
    if fmt is None:
        for line in export.heading(made):
            out.print(line)
        for section in made.sections:
            table = Table(*section.columns, title=section.title, caption=section.note or None)
            for row in section.rows:
                table.add_row(*(str(c) for c in row))
            out.print(table)
        out.print(figures.RULE)
        return
    data = WRITERS[fmt](made)
    if to is None:
        sys.stdout.buffer.write(data)
        return
    to.write_bytes(data)
    out.print(texts.FIGURES_WRITTEN.format(label=made.period.label, period=made.period.text, path=to))


def _period_command(kind: str, first_default: str, last_default: str, about: str) -> None:
    """`xinqiao report <kind>`: the figures of one kind of period (its own defaults), through `_figures`."""

    def command(
        first: str = typer.Option(None, "--from", help=f"first date, YYYY-MM-DD (default: {first_default})"),
        last: str = typer.Option(None, "--to", help=f"last date, YYYY-MM-DD (default: {last_default})"),
        fmt: str = typer.Option(None, "--format", help="csv | xlsx | json (default: from --out, else tables)"),
        to: Path = typer.Option(None, "--out", help="write to this file"),  # noqa: B008
    ) -> None:
        _figures(kind, first, last, fmt, to)

    command.__doc__ = about
    command.__name__ = f"{kind}_report"
    report_app.command(kind)(command)


_period_command("term", "the term's first day", "the term's last day",
                "Figures for supervision for this term (autumn: Sept-Jan, spring: Feb-Aug), without personal names.")
_period_command("month", "the 1st of this month", "the month's last day",
                "Figures for supervision for this month, without personal names.")
