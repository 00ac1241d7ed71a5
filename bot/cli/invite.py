"""`xinqiao invite create`: one-time invite codes for members and staff."""

from __future__ import annotations

import typer
from rich.console import Console

from bot.cli.common import run_in_session
from bot.db.models_people import ROLES
from bot.services.school.people import create_invite

invite_app = typer.Typer(help="Invite codes for committee members and staff.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


@invite_app.command("create")
def create(
    name: str = typer.Option(..., "--name", help="the person's name as counsellors know them"),
    role: str = typer.Option(..., "--role", help="member_class | member_dorm | counsellor | leader | head_teacher"),
    group: str = typer.Option(None, "--group", help="class or dorm (required for members)"),
    days: int = typer.Option(14, "--days", min=1, max=365, help="days the code stays valid"),
) -> None:
    """Create a one-time invite code; the person sends `绑定 <code>` to the bot."""
    from bot.cli.common import load_settings

    if role not in ROLES:
        err.print(f"[red]unknown role {role!r}: use one of {', '.join(ROLES)}[/red]")
        raise typer.Exit(2)

    async def work(session, school_id):
        person, code = await create_invite(session=session, school_id=school_id, name=name, role=role,
                                           group=group, valid_days=days)
        return person.name, code

    try:
        person_name, code = run_in_session(load_settings(), work)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    out.print(f"invite code for {person_name} ({role}): [bold]{code}[/bold]  (send: 绑定 {code})")
