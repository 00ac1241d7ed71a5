"""`xinqiao checkins show|rule`: the weekly reports (零报告) and when they are asked."""

from __future__ import annotations

import re

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.common import run_in_session
from bot.db.base import utcnow
from bot.services.schedule import checkins

checkins_app = typer.Typer(help="Weekly check-ins: who reported, who was nudged, who is missing.",
                           no_args_is_help=True)
out = Console()
err = Console(stderr=True)
ISO_WEEK = re.compile(r"\d{4}-W\d{2}")


@checkins_app.command("show")
def show(week: str = typer.Option(None, "--week", help="ISO week, e.g. 2026-W48 (default: this week)")) -> None:
    """Every round of the week: each member's answer, nudges, pushes that could not be delivered."""
    from bot.cli.common import load_settings

    settings = load_settings()
    if week is None:
        year, number, _ = utcnow().astimezone(settings.zone).isocalendar()
        week = f"{year}-W{number:02d}"
    elif not ISO_WEEK.fullmatch(week.strip()) or not 1 <= int(week.strip()[-2:]) <= 53:
        err.print(f"[red]--week {week!r}: write an ISO week, e.g. 2026-W48[/red]")
        raise typer.Exit(2)
    week = week.strip()

    async def work(session, school_id):
        return [(rnd, await checkins.round_status(session=session, rnd=rnd))
                for rnd in await checkins.rounds_of_week(session=session, school_id=school_id, week=week)]

    rounds = run_in_session(settings, work)
    if not rounds:
        out.print(f"no check-in was asked in {week}")
        return
    for rnd, statuses in rounds:
        why = f" ({rnd.reason})" if rnd.reason else ""
        out.print(f"[bold]round #{rnd.id}[/bold] asked {rnd.asked_at.astimezone(settings.zone):%a %Y-%m-%d %H:%M}"
                  f"{why}, due {rnd.deadline_at.astimezone(settings.zone):%a %H:%M}, {rnd.state}")
        table = Table("member", "group", "answer", "when", "nudged", "note")
        for st in statuses:
            if st.report is None:
                answer, at = "[red]missing[/red]", ""
            else:
                answer = "无异常" if st.report.kind == "checkin" and not st.report.text else (
                    "concern report" if st.report.kind == "concern" else f"text ({st.report.level})")
                at = f"{st.report.created_at.astimezone(settings.zone):%a %H:%M}"
            note = "未送达 (platform window; sent when they next write)" if st.undeliverable else ""
            table.add_row(st.person.name, st.group, answer, at, "yes" if st.nudged else "", note)
        out.print(table)


@checkins_app.command("rule")
def rule(
    ask: str = typer.Option(None, "--ask", help='when to ask, e.g. "Fri 16:00"'),
    deadline: str = typer.Option(None, "--deadline", help='when it is due, e.g. "Sun 20:00"'),
    grace: int = typer.Option(None, "--grace-hours", min=1, max=168, help="after the nudge, before listing"),
) -> None:
    """Show the school's weekly rule, or change it."""
    from bot.cli.common import load_settings

    settings = load_settings()

    async def work(session, school_id):
        current = await checkins.set_rule(session=session, school_id=school_id, zone=settings.zone, ask=ask or None,
                                          deadline=deadline or None, grace_hours=grace or None)
        return current.ask, current.deadline, current.grace_hours

    try:
        a, d, g = run_in_session(settings, work)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    out.print(f"ask {a}, due {d}, listed to counsellors {g} h after the nudge")
