"""`xinqiao students …` and `xinqiao institutions …`: students of concern and their files, from the CLI.

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
    assessments,
    attention,
    contacts,
    file_timeline,
    institutions,
    plans,
    privacy,
    referrals,
    students,
)
from bot.services.students.errors import StudentError
from bot.services.students.guardians import parse_guardian
from bot.services.students.viewer import Viewer

students_app = typer.Typer(help="Students of concern and their files (一生一策, assessments, referrals, contacts).",
                           no_args_is_help=True)
institutions_app = typer.Typer(help="The hospitals and clinics the school refers to.", no_args_is_help=True)
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


@students_app.command("plan")
def plan(ref: str = typer.Argument(...), goal: list[str] = typer.Option(..., "--goal"),  # noqa: B008
         measure: list[str] = typer.Option(None, "--measure",  # noqa: B008
                                           help="text|responsible|date (repeat)"),
         review: str = typer.Option(..., "--review", help="the review date")) -> None:
    """Write the student's plan (a new version when there is one: the earlier stays readable)."""
    settings = load_settings()
    review_on = _day(review)

    async def work(session, school_id):
        today = utcnow().astimezone(settings.zone).date()
        student = await students.resolve_student(session=session, school_id=school_id, ref=ref)
        given = [plans.parse_measure(m, today=today) for m in measure or []]
        p = await plans.write_plan(session=session, school_id=school_id, student_id=student.id, goals=goal,
                                   measures=given, review_on=review_on, viewer=CLI, zone=settings.zone)
        return p.version

    typer.echo(f"plan version {_run(work)} written")


@students_app.command("reviewed")
def reviewed(ref: str = typer.Argument(...)) -> None:
    """The plan in force was reviewed and stays as it is (to change it, write a new version with `plan`)."""
    async def work(session, school_id):
        student = await students.resolve_student(session=session, school_id=school_id, ref=ref)
        return (await plans.mark_reviewed(session=session, school_id=school_id, student_id=student.id,
                                          viewer=CLI)).version

    typer.echo(f"plan version {_run(work)} reviewed")


@students_app.command("assess")
def assess(case_id: int = typer.Argument(...), level: str = typer.Option(..., "--level"),
           recommendation: str = typer.Option(..., "--recommendation", help="观察|校内辅导|转介|危机干预"),
           participants: str = typer.Option(..., "--participants", help="names, comma separated"),
           reasons: str = typer.Option(..., "--reasons")) -> None:
    """Record an assessment (评估小组) on a case."""
    async def work(session, school_id):
        row = await assessments.record_assessment(
            session=session, school_id=school_id, case_id=case_id,
            participants=[p for p in participants.replace("，", ",").split(",")], level=level,
            recommendation=recommendation, reasons=reasons, viewer=CLI)
        return row.id

    typer.echo(f"assessment {_run(work)} recorded")


@students_app.command("consent")
def consent(ref: str = typer.Argument(...), guardian: str = typer.Option(..., "--guardian"),
            relation: str = typer.Option(..., "--relation"),
            how: str = typer.Option(..., "--how", help="当面|电话|书面"),
            case_id: int = typer.Option(None, "--case"), note: str = typer.Option("", "--note")) -> None:
    """Record a guardian's consent to referral."""
    async def work(session, school_id):
        student = await students.resolve_student(session=session, school_id=school_id, ref=ref)
        row = await referrals.record_consent(session=session, school_id=school_id, student_id=student.id,
                                             case_id=case_id, guardian_name=guardian, relation=relation, how=how,
                                             note=note, viewer=CLI)
        return row.id

    typer.echo(f"consent {_run(work)} recorded")


@students_app.command("refer")
def refer(ref: str = typer.Argument(...), case_id: int = typer.Option(None, "--case"),
          institution: str = typer.Option(None, "--institution"), send: bool = typer.Option(False, "--send"),
          emergency: str = typer.Option("", "--emergency", help="the reason of an emergency referral"),
          visit: str = typer.Option(None, "--visit"), feedback_due: str = typer.Option(None, "--feedback-due")) -> None:
    """Open a referral (and mark it sent with --send: needs a consent, or --emergency with its reason)."""
    settings = load_settings()
    visit_on, due_on = _day(visit), _day(feedback_due)

    async def work(session, school_id):
        student = await students.resolve_student(session=session, school_id=school_id, ref=ref)
        row = await referrals.open_referral(session=session, school_id=school_id, student_id=student.id,
                                            case_id=case_id, institution=institution, viewer=CLI)
        if send or emergency:
            await referrals.mark_sent(session=session, school_id=school_id, referral_id=row.id, viewer=CLI,
                                      zone=settings.zone, visit_on=visit_on, feedback_due_on=due_on,
                                      emergency_reason=emergency)
        return row.id, row.state

    rid, state = _run(work)
    typer.echo(f"referral {rid} {state}")


@students_app.command("feedback")
def feedback(referral_id: int = typer.Argument(...), summary: str = typer.Option(..., "--summary")) -> None:
    """Record the institution's feedback on a referral (its advice, summarised)."""
    async def work(session, school_id):
        await referrals.record_feedback(session=session, school_id=school_id, referral_id=referral_id,
                                        summary=summary, viewer=CLI)

    _run(work)
    typer.echo("feedback recorded")


@students_app.command("return")
def return_assessment(referral_id: int = typer.Argument(...), level: str = typer.Option(..., "--level"),
                      recommendation: str = typer.Option(..., "--recommendation"),
                      participants: str = typer.Option(..., "--participants", help="names, comma separated"),
                      reasons: str = typer.Option(..., "--reasons")) -> None:
    """The return-to-school assessment after a referral."""
    async def work(session, school_id):
        await referrals.record_return(session=session, school_id=school_id, referral_id=referral_id,
                                      participants=participants.replace("，", ",").split(","), level=level,
                                      recommendation=recommendation, reasons=reasons, viewer=CLI)

    _run(work)
    typer.echo(f"referral {referral_id} returned")


@students_app.command("contact")
def contact(ref: str = typer.Argument(...), how: str = typer.Option(..., "--how", help="家访|电话|家长会"),
            summary: str = typer.Option(..., "--summary"), guardian: str = typer.Option("", "--guardian"),
            next_step: str = typer.Option("", "--next"), next_on: str = typer.Option(None, "--next-on"),
            case_id: int = typer.Option(None, "--case")) -> None:
    """Record a home-school contact."""
    settings = load_settings()
    day = _day(next_on)

    async def work(session, school_id):
        student = await students.resolve_student(session=session, school_id=school_id, ref=ref)
        row = await contacts.record_contact(session=session, school_id=school_id, student_id=student.id,
                                            case_id=case_id, how=how, summary=summary, guardian=guardian,
                                            next_step=next_step, next_on=day, viewer=CLI, zone=settings.zone)
        return row.id

    typer.echo(f"contact {_run(work)} recorded")


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
