"""`xinqiao students plan|reviewed|assess|consent|refer|feedback|return|contact`: the moving parts of a file,
on the `students` command group (bot/cli/students.py), each one service call, audited as `cli`."""

from __future__ import annotations

import typer

from bot.cli.common import load_settings
from bot.cli.students import CLI, _day, _run, students_app
from bot.db.base import utcnow
from bot.services.students import assessments, contacts, plans, referrals, students

__all__ = ["students_app"]


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
