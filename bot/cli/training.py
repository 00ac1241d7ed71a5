"""`xinqiao training add|list|show|cancel|attend`: training sessions for committee members."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.common import run_in_session
from bot.services.crisis.policies import format_wait
from bot.services.schedule import training
from bot.services.schedule.schedule_text import parse_moment
from bot.services.schedule.training import TrainingError
from bot.services.school.people import find_person

training_app = typer.Typer(help="Training sessions: reminders, answers, attendance.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)
ANSWER_NAMES = {"attend": "参加", "leave": "请假", None: "—"}


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]{message}[/red]")
    return typer.Exit(2)


@training_app.command("add")
def add(
    title: str = typer.Option(..., "--title", help="what the session is"),
    at: str = typer.Option(..., "--at", help="start, ISO 8601 (school time when no zone is given)"),
    place: str = typer.Option("", "--place", help="where (or give --link)"),
    link: str = typer.Option("", "--link", help="the online meeting link"),
    audience: str = typer.Option("all", "--audience", help="all, class, dorm or grade:N"),
    remind: str = typer.Option("24h,1h", "--remind", help="reminders before the start, e.g. 24h,1h"),
) -> None:
    """Schedule a session; prints its id. Every member of the audience gets a reminder at each offset."""
    from bot.cli.common import load_settings

    settings = load_settings()
    if bool(place) == bool(link):
        raise _fail("give exactly one of --place or --link")
    try:
        starts_at, who, offsets = parse_moment(at, settings.zone), training.parse_audience(audience), \
            training.parse_offsets(remind)
    except ValueError as exc:
        raise _fail(str(exc)) from exc

    async def work(session, school_id):
        ts = await training.add_session(session=session, school_id=school_id, title=title, starts_at=starts_at,
                                        place=place, link=link, audience=who, remind=offsets, zone=settings.zone)
        members = await training.participants(session=session, session_id=ts.id)
        return ts.id, len(members)

    try:
        session_id, count = run_in_session(settings, work)
    except TrainingError as exc:
        raise _fail(exc.reason) from exc
    typer.echo(session_id)
    if count == 0:
        err.print(f"[yellow]warning: session #{session_id} reaches nobody yet (audience {who}); members who join "
                  "the audience before the start get its reminders. A grade needs its classes' grades: "
                  "`xinqiao group list`, `xinqiao group set <name> --grade N`[/yellow]")
    err.print(f"session #{session_id}: {count} members, reminders {remind} before")


@training_app.command("list")
def list_command() -> None:
    """Every session with its answers so far."""
    from bot.cli.common import load_settings

    settings = load_settings()

    async def work(session, school_id):
        rows = []
        for ts in await training.list_sessions(session=session, school_id=school_id):
            people = await training.participants(session=session, session_id=ts.id)
            rows.append((ts, sum(tp.answer == "attend" for tp, _ in people),
                         sum(tp.answer == "leave" for tp, _ in people), len(people)))
        return rows

    table = Table("id", "start (school time)", "title", "where", "audience", "state", "参加/请假/共")
    for ts, yes, no, total in run_in_session(settings, work):
        table.add_row(str(ts.id), f"{ts.starts_at.astimezone(settings.zone):%Y-%m-%d %H:%M}", ts.title,
                      ts.place or ts.link, ts.audience, ts.state, f"{yes}/{no}/{total}")
    out.print(table)


@training_app.command("show")
def show(session_id: int = typer.Argument(..., help="the session id")) -> None:
    """Who answered what (and, after the session, who came)."""
    from bot.cli.common import load_settings

    settings = load_settings()

    async def work(session, school_id):
        ts = await training.get_session(session=session, school_id=school_id, session_id=session_id)
        return ts, await training.participants(session=session, session_id=ts.id)

    try:
        ts, people = run_in_session(settings, work)
    except TrainingError as exc:
        raise _fail(f"no training session #{session_id}") from exc
    out.print(f"[bold]#{ts.id} {ts.title}[/bold] {ts.starts_at.astimezone(settings.zone):%Y-%m-%d %H:%M} "
              f"{ts.place or ts.link} ({ts.state}; reminders {','.join(format_wait(r) for r in ts.remind)})")
    table = Table("member", "answer", "attended")
    for tp, person in people:
        attended = "—" if tp.attended is None else ("yes" if tp.attended else "no")
        table.add_row(person.name, ANSWER_NAMES[tp.answer], attended)
    out.print(table)


@training_app.command("cancel")
def cancel(session_id: int = typer.Argument(..., help="the session id")) -> None:
    """Cancel a session: no more reminders, and every member is told."""
    from bot.cli.common import load_settings

    settings = load_settings()

    async def work(session, school_id):
        return await training.cancel_session(session=session, school_id=school_id, session_id=session_id,
                                             zone=settings.zone)

    try:
        told = run_in_session(settings, work)
    except TrainingError as exc:
        raise _fail(f"session #{session_id}: {'already cancelled' if exc.reason == 'cancelled' else 'unknown'}") \
            from exc
    out.print(f"session #{session_id} cancelled; {told} members told")


@training_app.command("attend")
def attend(session_id: int = typer.Argument(..., help="the session id"),
           members: Annotated[list[str] | None, typer.Argument(help="who came (names, starts of names or ids)")]
           = None) -> None:
    """Record who came; everyone else in the audience missed it. Two misses in a row are flagged."""
    from bot.cli.common import load_settings

    settings = load_settings()

    async def work(session, school_id):
        present = []
        for ref in members or []:
            try:
                present.append((await find_person(session=session, school_id=school_id, ref=ref)).id)
            except ValueError as exc:
                raise TrainingError(str(exc)) from exc
        return await training.record_attendance(session=session, school_id=school_id, session_id=session_id,
                                                present=present)

    try:
        flagged = run_in_session(settings, work)
    except TrainingError as exc:
        reason = {"unknown": f"no training session #{session_id}",
                  "not_started": f"session #{session_id} has not started yet: record attendance after it starts"}
        raise _fail(reason.get(exc.reason, exc.reason)) from exc
    out.print(f"attendance of session #{session_id} recorded")
    for missed in flagged:
        out.print(f"[yellow]missed two in a row:[/yellow] {missed.person.name} ({' / '.join(missed.titles)}); "
                  "counsellors told")
