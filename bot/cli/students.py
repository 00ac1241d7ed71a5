"""`xinqiao students …`: students of concern and their files, from the CLI (the plan, assessment, referral and
contact commands are in bot/cli/student_plans.py, on the same command group).

Every command is one call of bot/services/students/ (the console calls the same), audited as `cli`.
A refusal prints its reason and exits 1, having written nothing.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.common import load_settings, run_in_session
from bot.db.base import utcnow
from bot.services.schedule.schedule_text import parse_day
from bot.services.students import (
    attention,
    file_timeline,
    privacy,
    students,
)
from bot.services.students.errors import StudentError
from bot.services.students.guardians import parse_guardian
from bot.services.students.viewer import Viewer

students_app = typer.Typer(help="Students of concern and their files (一生一策, assessments, referrals, contacts).",
                           no_args_is_help=True)
out = Console()
err = Console(stderr=True)
CLI = Viewer.cli()


def _run(work):
    """Run work(session, school_id) in one transaction; a refusal exits 1 with its message."""
    settings = load_settings()
    try:
        return run_in_session(settings, work)
    except StudentError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from exc


def _day(text: str | None):
    if not text:
        return None
    settings = load_settings()
    try:
        return parse_day(text, utcnow().astimezone(settings.zone).date())
    except ValueError as exc:
        err.print(f"[red]{StudentError('date', day=text).message}[/red]")
        raise typer.Exit(2) from exc


@students_app.command("add")
def add(name: str = typer.Option(..., "--name"), klass: str = typer.Option(..., "--class", help="e.g. 初二(3)班"),
        number: str = typer.Option("", "--number", help="学号: tells two of one name in one class apart"),
        dorm: str = typer.Option(None, "--dorm"), grade: int = typer.Option(None, "--grade"),
        head_teacher: str = typer.Option(None, "--head-teacher"),
        guardian: list[str] = typer.Option(None, "--guardian",  # noqa: B008
                                           help="name,relation,phone (repeat for each)")) -> None:
    """Add a student or update the one of this name and class."""
    async def work(session, school_id):
        given = [parse_guardian(g) for g in guardian] if guardian else None
        saved = await students.add_or_update_student(
            session=session, school_id=school_id, name=name, class_name=klass, number=number, dorm_name=dorm,
            grade=grade, head_teacher=head_teacher, guardians=given, viewer=CLI)
        return saved.student.id, saved.created

    sid, created = _run(work)
    typer.echo(f"{'added' if created else 'updated'} student {sid}")


@students_app.command("list")
def list_(klass: str = typer.Option(None, "--class"), name: str = typer.Option(None, "--name"),
          as_json: bool = typer.Option(False, "--json")) -> None:
    """The school's students (id, class, name, attention)."""
    async def work(session, school_id):
        groups = await students.group_names(session=session, school_id=school_id)
        return [{"id": s.id, "name": s.name, "class": groups.get(s.class_id or 0, ""), "number": s.number,
                 "attention": attention.LEVEL_NAMES.get(s.attention or "", "")}
                for s in await students.list_students(session=session, school_id=school_id, name=name,
                                                      class_name=klass, viewer=CLI)]

    rows = _run(work)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "class", "name", "number", "attention")
    for r in rows:
        table.add_row(str(r["id"]), r["class"], r["name"], r["number"], r["attention"])
    out.print(table)


@students_app.command("show")
def show(ref: str = typer.Argument(..., help="id, or name [class]"),
         as_json: bool = typer.Option(False, "--json")) -> None:
    """A student's file: the current state and the timeline (audited as a view)."""
    settings = load_settings()

    async def work(session, school_id):
        student = await students.resolve_student(session=session, school_id=school_id, ref=ref)
        f = await file_timeline.student_file(session=session, school_id=school_id, student_id=student.id, viewer=CLI)
        return {
            "id": student.id, "name": student.name, "class": f.class_name, "dorm": f.dorm_name,
            "number": student.number, "attention": student.attention, "attention_reason": student.attention_reason,
            "guardians": [{"name": g.name, "relation": g.relation, "phone": g.phone} for g in f.guardians],
            "cases": [{"id": c.id, "level": c.level, "status": c.status, "outcome": c.outcome} for c in f.cases],
            "plan_version": f.plan.plan.version if f.plan else None,
            "timeline": [{"at": line.at.isoformat(), "kind": line.kind, **line.detail} for line in f.timeline],
            "due": [{"at": line.at.date().isoformat(), "kind": line.kind, **line.detail} for line in f.due],
        }

    data = _run(work)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    out.print(f"[bold]{data['name']}[/bold] {data['class']} {data['dorm']} (student {data['id']})")
    out.print(f"attention: {attention.LEVEL_NAMES.get(data['attention'] or '', '—')} {data['attention_reason']}")
    for g in data["guardians"]:
        out.print(f"guardian: {g['name']} ({g['relation']}) {g['phone']}")
    table = Table("when", "what", "detail")
    for line in data["timeline"]:
        at = line.pop("at")
        table.add_row(f"{datetime.fromisoformat(at).astimezone(settings.zone):%Y-%m-%d %H:%M}", line.pop("kind"),
                      json.dumps(line, ensure_ascii=False))
    out.print(table)
    for line in data["due"]:
        out.print(f"due {line['at']}: {line['kind']}")


@students_app.command("link")
def link(case_id: int = typer.Argument(...),
         ref: str = typer.Argument(..., help="student id, or name [class]")) -> None:
    """Say a case is about a student (never a mailbox note: only the student can choose that)."""
    async def work(session, school_id):
        student = await students.resolve_student(session=session, school_id=school_id, ref=ref)
        await students.link_case(session=session, school_id=school_id, case_id=case_id, student_id=student.id,
                                 viewer=CLI)
        return student.id

    typer.echo(f"case {case_id} linked to student {_run(work)}")


@students_app.command("unlink")
def unlink(case_id: int = typer.Argument(...)) -> None:
    """Take a wrong link off a case."""
    async def work(session, school_id):
        await students.unlink_case(session=session, school_id=school_id, case_id=case_id, viewer=CLI)

    _run(work)
    typer.echo(f"case {case_id} unlinked")


@students_app.command("attention")
def set_attention(ref: str = typer.Argument(...), level: str = typer.Argument(..., help="一般关注|重点关注|特别关注"),
                  reason: str = typer.Option(..., "--reason")) -> None:
    """Set a student's attention level with the reason."""
    async def work(session, school_id):
        student = await students.resolve_student(session=session, school_id=school_id, ref=ref)
        await attention.set_attention(session=session, school_id=school_id, student_id=student.id, level=level,
                                      reason=reason, viewer=CLI)

    _run(work)
    typer.echo("attention set")


@students_app.command("overdue")
def overdue(as_json: bool = typer.Option(False, "--json")) -> None:
    """Measures, reviews and referral feedback past their date."""
    settings = load_settings()

    async def work(session, school_id):
        today = utcnow().astimezone(settings.zone).date()
        return [{"kind": o.kind, "student_id": o.student_id, "student": o.student_name, "due_on": o.due_on.isoformat(),
                 "ref": o.ref_id} for o in await file_timeline.overdue(session=session, school_id=school_id,
                                                                       today=today)]

    rows = _run(work)
    typer.echo(json.dumps(rows, ensure_ascii=False) if as_json else
               "\n".join(f"{r['due_on']} {r['kind']} #{r['ref']} {r['student']}" for r in rows) or "nothing overdue")


@students_app.command("counts")
def counts() -> None:
    """Anonymous counts of the school's files (JSON): no name, no content."""
    async def work(session, school_id):
        return await privacy.counts(session=session, school_id=school_id)

    typer.echo(json.dumps(_run(work), ensure_ascii=False))


@students_app.command("export")
def export(ref: str = typer.Argument(...),
           to: Path = typer.Option(None, "--to", help="file to write (Markdown)")) -> None:  # noqa: B008
    """The student's file as a Markdown document, for a guardian's lawful request (audited)."""
    settings = load_settings()

    async def work(session, school_id):
        student = await students.resolve_student(session=session, school_id=school_id, ref=ref)
        return await privacy.export_markdown(session=session, school_id=school_id, student_id=student.id,
                                             viewer=CLI, zone=settings.zone)

    doc = _run(work)
    if to is None:
        typer.echo(doc)
        return
    to.write_text(doc, encoding="utf-8")
    to.chmod(0o600)
    typer.echo(f"written {to}")


@students_app.command("erase")
def erase(student_id: int = typer.Argument(..., help="the student's id (never a name: no guessing here)"),
          yes: bool = typer.Option(False, "--yes", help="confirm")) -> None:
    """Remove a student's personal data; anonymous counts stay (audited)."""
    if not yes:
        err.print("[red]erasing cannot be undone: add --yes[/red]")
        raise typer.Exit(2)

    async def work(session, school_id):
        await privacy.erase_student(session=session, school_id=school_id, student_id=student_id, viewer=CLI)

    _run(work)
    typer.echo(f"student {student_id} erased")
