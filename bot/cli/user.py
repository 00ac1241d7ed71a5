"""`xinqiao user`: console accounts: a one-time link to choose a password, sessions, revoking them."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.common import load_settings, run_in_session
from bot.db.base import utcnow
from bot.services.school import accounts, audit
from bot.services.school.console_sessions import is_live, sessions_of
from bot.services.school.people import find_person

user_app = typer.Typer(help="Console accounts of staff: passwords and sessions.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


def _person(session, school_id, name):
    async def find():
        try:
            return await find_person(session=session, school_id=school_id, ref=name)
        except ValueError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
    return find()


@user_app.command("set-password")
def set_password(name: str = typer.Argument(..., help="the person's name (or its unique start, or id)")) -> None:
    """Print a one-time link (valid 24 hours) where the person chooses their console password."""
    settings = load_settings()

    async def work(session, school_id):
        person = await _person(session, school_id, name)
        try:
            secret = await accounts.password_link(session=session, person=person)
        except accounts.AccountError as exc:
            err.print(f"[red]{person.name} has no staff role (counsellor, leader, head_teacher, admin)[/red]")
            raise typer.Exit(2) from exc
        audit.record(session, actor="cli", action="account.password_link", target=f"person:{person.id}",
                     school_id=school_id)
        return person.name, secret

    person_name, secret = run_in_session(settings, work)
    base = settings.public_url.rstrip("/") or f"http://{settings.host}:{settings.port}"
    out.print(f"one-time link for {person_name} (valid 24 hours; give it to them only):")
    print(f"{base}/console/password/{secret}")


@user_app.command("sessions")
def sessions(name: str = typer.Argument(..., help="the person's name")) -> None:
    """List a person's console sessions (school time)."""
    settings = load_settings()
    zone = settings.zone

    async def work(session, school_id):
        person = await _person(session, school_id, name)
        return person.name, list(await sessions_of(session=session, person_id=person.id))

    person_name, rows = run_in_session(settings, work)
    table = Table(title=f"console sessions of {person_name}")
    for col in ("id", "signed in", "last seen", "state", "address"):
        table.add_column(col)
    now = utcnow()
    for row in rows:
        state = "live" if is_live(row, now) else ("revoked" if row.revoked_at else "expired")
        if is_live(row, now) and not row.second_factor:
            state = "live (waiting for the code)"
        table.add_row(str(row.id), f"{row.created_at.astimezone(zone):%Y-%m-%d %H:%M}",
                      f"{row.seen_at.astimezone(zone):%Y-%m-%d %H:%M}", state, row.address or "")
    out.print(table)


@user_app.command("revoke")
def revoke(name: str = typer.Argument(..., help="the person's name")) -> None:
    """Sign a person out of every browser now."""

    async def work(session, school_id):
        person = await _person(session, school_id, name)
        count = await accounts.revoke_sessions(session=session, person_id=person.id)
        audit.record(session, actor="cli", action="account.revoke", target=f"person:{person.id}", school_id=school_id)
        return person.name, count

    person_name, count = run_in_session(load_settings(), work)
    out.print(f"revoked {count} session(s) of {person_name}")


@user_app.command("reset-totp")
def reset_totp(name: str = typer.Argument(..., help="the person's name")) -> None:
    """Turn off a person's second factor (a lost phone): they sign in with the password and enrol again."""

    async def work(session, school_id):
        person = await _person(session, school_id, name)
        was_on = await accounts.reset_totp(session=session, person=person)
        audit.record(session, actor="cli", action="account.reset_totp", target=f"person:{person.id}",
                     school_id=school_id)
        return person.name, was_on

    person_name, was_on = run_in_session(load_settings(), work)
    out.print(f"two-step sign-in of {person_name} " + ("turned off; sessions ended" if was_on else "was not on"))
