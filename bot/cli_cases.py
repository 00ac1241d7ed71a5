"""`xinqiao cases list|show`: what counsellors and leaders see. No sender address is ever shown."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from bot.cli_support import run_in_session
from bot.services.cases import CaseError, all_cases, case_detail
from bot.services.escalation import late_case_ids

cases_app = typer.Typer(help="Cases and their timelines.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


def case_dict(case) -> dict:
    """The public fields of a case."""
    return {
        "id": case.id, "level": case.level, "status": case.status, "source": case.source,
        "subject": case.subject, "outcome": case.outcome, "created_at": case.created_at.isoformat(),
        "acknowledged_at": case.acknowledged_at.isoformat() if case.acknowledged_at else None,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
    }


@cases_app.command("list")
def list_cases(as_json: bool = typer.Option(False, "--json", help="print a JSON array")) -> None:
    """Every case, newest first."""
    from bot.cli import load_settings

    async def work(session, _school_id):
        late = await late_case_ids(session=session)
        return [case_dict(c) | {"late": c.id in late} for c in await all_cases(session=session)]

    rows = run_in_session(load_settings(), work)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "level", "status", "source", "subject", "created", "escalation")
    for r in rows:
        table.add_row(str(r["id"]), r["level"], r["status"], r["source"], r["subject"], r["created_at"][:19],
                      "[red]LATE[/red]" if r["late"] else "")
    out.print(table)


@cases_app.command("show")
def show(case_id: int = typer.Argument(..., help="the case number"),
         as_json: bool = typer.Option(False, "--json", help="print JSON")) -> None:
    """One case with its timeline, in order."""
    from bot.cli import load_settings

    async def work(session, _school_id):
        detail = await case_detail(session=session, case_id=case_id)
        data = case_dict(detail.case)
        data["events"] = [{"kind": e.kind, "at": e.at.isoformat(), "detail": e.detail} for e in detail.events]
        return data

    try:
        data = run_in_session(load_settings(), work)
    except CaseError as exc:
        err.print(f"[red]no case #{case_id}[/red]")
        raise typer.Exit(1) from exc
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    out.print(f"[bold]case #{data['id']}[/bold] {data['level']} {data['status']} ({data['source']}) {data['subject']}")
    for e in data["events"]:
        detail = json.dumps(e["detail"], ensure_ascii=False) if e["detail"] else ""
        out.print(f"  {e['at'][:19]}  {e['kind']:<16} {detail}", markup=False, highlight=False)
