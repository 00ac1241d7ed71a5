"""`xinqiao cases list|show`: what counsellors and leaders see. No sender address is ever shown."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.common import run_in_session
from bot.services.crisis.cases import CaseError, all_cases, case_detail
from bot.services.crisis.escalation import late_case_ids

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
    from bot.cli.common import load_settings

    async def work(session, _school_id):
        late = await late_case_ids(session=session)
        return [case_dict(c) | {"late": c.id in late} for c in await all_cases(session=session)]

    settings = load_settings()
    rows = run_in_session(settings, work)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "level", "status", "source", "subject", f"created ({settings.timezone})", "escalation")
    for r in rows:
        table.add_row(str(r["id"]), r["level"], r["status"], r["source"], r["subject"],
                      _local(r["created_at"], settings.zone), "[red]LATE[/red]" if r["late"] else "")
    out.print(table)


def _local(iso: str | None, zone: ZoneInfo) -> str:
    """A stored UTC time in school time."""
    return f"{datetime.fromisoformat(iso).astimezone(zone):%Y-%m-%d %H:%M}" if iso else "—"


@cases_app.command("show")
def show(case_id: int = typer.Argument(..., help="the case number"),
         as_json: bool = typer.Option(False, "--json", help="print JSON")) -> None:
    """One case with its timeline, in order."""
    from bot.cli.common import load_settings

    async def work(session, _school_id):
        detail = await case_detail(session=session, case_id=case_id)
        data = case_dict(detail.case)
        data["events"] = [{"kind": e.kind, "at": e.at.isoformat(), "detail": e.detail} for e in detail.events]
        return data

    settings = load_settings()
    try:
        data = run_in_session(settings, work)
    except CaseError as exc:
        err.print(f"[red]no case #{case_id}[/red]")
        raise typer.Exit(1) from exc
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    out.print(f"[bold]case #{data['id']}[/bold] {data['level']} {data['status']} ({data['source']}) {data['subject']}")
    out.print(f"opened {_local(data['created_at'], settings.zone)} ({settings.timezone})", markup=False)
    for e in data["events"]:
        detail = json.dumps(e["detail"], ensure_ascii=False) if e["detail"] else ""
        out.print(f"  {_local(e['at'], settings.zone)}  {e['kind']:<16} {detail}", markup=False, highlight=False)


@cases_app.command("follow-up")
def follow_up(case_id: int = typer.Argument(..., help="the case number"),
              day: str = typer.Argument(..., help="YYYY-MM-DD, MM-DD, 明天, 3天后"),
              by: str = typer.Option(None, "--by", help="the counsellor (default: whoever holds the case)")) -> None:
    """Put a case under monitoring with its next follow-up; its holder is reminded that morning."""
    from bot.cli.common import load_settings
    from bot.db.base import utcnow
    from bot.db.models import Case, Person
    from bot.services.crisis.roster import staff_with_role
    from bot.services.schedule.followups import set_follow_up
    from bot.services.schedule.schedule_text import parse_day
    from bot.services.school.people import find_person

    settings = load_settings()
    try:
        on = parse_day(day, utcnow().astimezone(settings.zone).date())
    except ValueError as exc:
        err.print(f"[red]date {day!r}: write YYYY-MM-DD, MM-DD, 12/05, 明天, 周五, 下周一 or 3天后[/red]")
        raise typer.Exit(2) from exc

    async def work(session, school_id):
        case = await session.get(Case, case_id)
        person: Person | None
        if by:
            person = await find_person(session=session, school_id=school_id, ref=by)
        elif case is not None and case.acknowledged_by_id:
            person = await session.get(Person, case.acknowledged_by_id)
        else:
            counsellors = await staff_with_role(session=session, school_id=school_id, role="counsellor")
            person = counsellors[0] if counsellors else None
        if person is None:
            raise ValueError("nobody to follow up: give --by")
        await set_follow_up(session=session, case_id=case_id, person=person, on=on, zone=settings.zone)
        return person.name

    try:
        name = run_in_session(settings, work)
    except CaseError as exc:
        err.print(f"[red]case #{case_id}: {exc.reason}[/red]")
        raise typer.Exit(1) from exc
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    out.print(f"case #{case_id} under monitoring; {name} is reminded on {on} at 08:00")
