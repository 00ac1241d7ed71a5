"""`xinqiao invite create|issue|reissue|sheet`: one-time invite codes for members and staff, and the printable sheet."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer
from rich.console import Console

from bot.cli.common import migrated_engine, run_in_session
from bot.db.base import utcnow
from bot.db.engine import make_sessionmaker
from bot.db.models_people import ROLES
from bot.services.school import invite_sheet, invites
from bot.services.school.people import create_invite, find_person
from bot.services.school.schools import ensure_school
from bot.texts import school as texts

invite_app = typer.Typer(help="Invite codes for committee members and staff.", no_args_is_help=True)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
DAYS = typer.Option(invites.DEFAULT_DAYS, "--days", min=1, max=365, help="days the code stays valid")


@invite_app.command("create")
def create(
    name: str = typer.Option(..., "--name", help="the person's name as counsellors know them"),
    role: str = typer.Option(..., "--role", help="member_class | member_dorm | counsellor | leader | head_teacher"),
    group: str = typer.Option(None, "--group", help="class or dorm (required for members)"),
    days: int = DAYS,
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


@invite_app.command("issue")
def issue(days: int = DAYS) -> None:
    """A code for every committee member and staff person who is not bound and has no valid code, in one go."""
    from bot.cli.common import load_settings

    async def work(session, school_id):
        issued = await invites.issue_missing(session=session, school_id=school_id, days=days)
        return [(p.name, code) for p, code in issued]

    issued = run_in_session(load_settings(), work)
    if not issued:
        out.print(texts.NOTHING_TO_ISSUE)
        return
    for name, code in issued:
        out.print(f"{name}\t{code}")
    out.print(texts.ISSUED.format(count=len(issued), days=days) + "；打印邀请卡：xinqiao invite sheet --out FILE.html")


@invite_app.command("reissue")
def reissue(person: str = typer.Argument(..., help="name, start of a name, or id"), days: int = DAYS) -> None:
    """A new code for one person (lost or expired); their unused codes stop working."""
    from bot.cli.common import load_settings

    async def work(session, school_id):
        who = await find_person(session=session, school_id=school_id, ref=person)
        return who.name, await invites.reissue(session=session, school_id=school_id, person=who, days=days)

    try:
        name, code = run_in_session(load_settings(), work)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    out.print(texts.REISSUED.format(name=name, code=code, days=days))


@invite_app.command("sheet")
def sheet(to: Path = typer.Option(..., "--out", help="FILE.html to print"),  # noqa: B008
          days: int = DAYS) -> None:
    """The printable sheet: a card per member and staff person (name, class, code, QR code, steps); bound ones marked.

    With the WeChat Official Account configured, each QR code is WeChat's own (scan = follow and bind);
    otherwise it encodes `绑定 <code>`.
    """
    from bot.channels.wechat_qr import invite_qr
    from bot.cli.common import load_settings

    settings = load_settings()

    async def run():
        wechat = invite_qr(settings)
        try:
            async with migrated_engine(settings) as engine, make_sessionmaker(engine)() as session, session.begin():
                school = await ensure_school(session=session, name=settings.school_name, timezone=settings.timezone)
                made = await invites.cards(session=session, school_id=school.id,
                                           scene_qr=wechat[0] if wechat else None)
                return school.name, made
        finally:
            if wechat:
                await wechat[1].close()

    school, made = asyncio.run(run())
    to.write_text(invite_sheet.render(cards=made, school=school, zone=settings.zone, now=utcnow(), days=days),
                  encoding="utf-8")
    for card in made:
        if card.qr_error:
            err.print(f"[yellow]{card.name}：{texts.QR_FAILED.format(error=card.qr_error, code=card.code)}[/yellow]")
    bound = sum(c.bound for c in made)
    missing = sum(1 for c in made if not c.bound and c.code is None)
    out.print(texts.SHEET_WRITTEN.format(path=to, cards=len(made), bound=bound, waiting=len(made) - bound - missing,
                                         missing=missing))
