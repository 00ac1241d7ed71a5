"""`xinqiao report …`: figures for supervision."""

from __future__ import annotations

import json
from datetime import timedelta

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from bot.cli.common import run_in_session
from bot.db.base import utcnow
from bot.db.models import School
from bot.services.crisis import abuse

report_app = typer.Typer(help="Figures for supervision.", no_args_is_help=True)
out = Console()


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
