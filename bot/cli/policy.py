"""`xinqiao policy show|set`: who is paged, in what order, and how long each step waits."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.common import run_in_session
from bot.services.crisis.escalation_policy import PAGED_LEVELS
from bot.services.crisis.policies import PolicyError, current, format_wait, parse_policy, set_policy

policy_app = typer.Typer(help="Escalation policies per level (red, orange).", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


@policy_app.command("show")
def show() -> None:
    """Each level's steps (target and wait) and repeat interval."""
    from bot.cli.common import load_settings

    async def work(session, school_id):
        return [await current(session=session, school_id=school_id, level=level) for level in PAGED_LEVELS]

    table = Table("level", "step", "target", "then wait", "repeat every")
    for policy in run_in_session(load_settings(), work):
        repeat = format_wait(policy.repeat_every) if policy.repeat_every else "—"
        for n, (target, wait) in enumerate(policy.steps, 1):
            table.add_row(policy.level if n == 1 else "", str(n), target, format_wait(wait), repeat if n == 1 else "")
    out.print(table)


@policy_app.command("set")
def set_command(
    level: str = typer.Argument(..., help="red or orange"),
    steps: str = typer.Option(..., "--steps", help="<target>:<wait>,…  targets: on_duty, backup, leaders, "
                                                   "head_teacher or a person's name; waits: 30s, 5m, 2h"),
    repeat_every: str = typer.Option(None, "--repeat-every", help="after the last step, page everyone again this "
                                                                  "often until acknowledged"),
) -> None:
    """Set a level's policy; cases opened from now on follow it (running chains keep theirs)."""
    from bot.cli.common import load_settings

    try:
        policy = parse_policy(level, steps, repeat_every)
    except PolicyError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc

    async def work(session, school_id):
        await set_policy(session=session, school_id=school_id, policy=policy)

    try:
        run_in_session(load_settings(), work)
    except PolicyError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    out.print(f"policy {level}: {policy.describe()}")
