"""`xinqiao doctor [confirm-key-backup]`: is the school ready? Green and red lines; exit 1 when any is red."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer
from rich.console import Console

from bot.cli.common import migrated_engine, run_in_session
from bot.db.base import utcnow
from bot.db.engine import make_sessionmaker
from bot.services.school import doctor
from bot.services.school.schools import ensure_school
from bot.texts import school as t

doctor_app = typer.Typer(help="Is the school ready? Channels, duty roster, members, numbers, key, backups, database.",
                         invoke_without_command=True)
out = Console(highlight=False)


@doctor_app.callback()
def check(ctx: typer.Context,
          backups: Path = typer.Option(None, "--backups", help="where backups are (default: <data dir>/backups)"),  # noqa: B008
          ) -> None:
    """Run every check; each line green or red with what to do; exit 1 when any is red."""
    if ctx.invoked_subcommand is not None:
        return
    from bot.channels.probes import probe_all
    from bot.cli.common import load_settings

    settings = load_settings()

    async def run() -> list[doctor.Check]:
        statuses = await probe_all(settings)
        async with migrated_engine(settings) as engine, make_sessionmaker(engine)() as session, session.begin():
            school = await ensure_school(session=session, name=settings.school_name, timezone=settings.timezone)
            return await doctor.run_checks(session=session, school_id=school.id, settings=settings,
                                           statuses=statuses, backup_dir=backups)

    checks = asyncio.run(run())
    for c in checks:
        out.print(f"[green]{c.line()}[/green]" if c.ok else f"[red]{c.line()}[/red]")
    bad = sum(not c.ok for c in checks)
    if bad:
        out.print(f"[red]{t.DR_SUMMARY_BAD.format(bad=bad, count=len(checks))}[/red]")
        raise typer.Exit(1)
    out.print(f"[green]{t.DR_SUMMARY_OK.format(count=len(checks))}[/green]")


@doctor_app.command("confirm-key-backup")
def confirm_key_backup() -> None:
    """Record (audited) that an admin has stored the server key apart from the database backups."""
    from bot.cli.common import load_settings

    settings = load_settings()
    now = utcnow()

    async def work(session, school_id):
        doctor.confirm_key_backup(session, school_id=school_id, key=settings.key, now=now)

    run_in_session(settings, work)
    out.print(t.DR_KEY_CONFIRMED.format(when=now.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M")))
