"""The admin's page: the school's staff with their console accounts; a one-time password link, sign-out everywhere."""

from __future__ import annotations

from sqlalchemy import func, select
from starlette.responses import Response
from starlette.routing import Route

from bot.console.context import PREFIX, Console, Ctx, view
from bot.console.pages import redirect, render
from bot.console.routes_cases import parse_id
from bot.db.models import Account, ConsoleSession, Person
from bot.services.crisis.access import Refused
from bot.services.school import accounts
from bot.services.school.console_sessions import ABSOLUTE, IDLE

LIMITS = {"csrf": 100}


def _admin(ctx: Ctx) -> None:
    if "admin" not in ctx.staff.role_set:
        raise Refused("forbidden")


async def _staff_member(ctx: Ctx) -> Person:
    person = await ctx.session.get(Person, parse_id(ctx.request.path_params["person_id"]))
    if person is None or person.school_id != ctx.staff.school_id or not accounts.is_staff(person):
        raise Refused("unknown")
    return person


async def people(ctx: Ctx) -> Response:
    _admin(ctx)
    staff = [p for p in (await ctx.session.execute(select(Person).where(Person.school_id == ctx.staff.school_id)
                                                  .order_by(Person.name))).scalars() if accounts.is_staff(p)]
    ids = [p.id for p in staff] or [0]
    found = {a.person_id: a for a in (await ctx.session.execute(
        select(Account).where(Account.person_id.in_(ids)))).scalars()}
    live: dict[int, int] = {pid: n for pid, n in (await ctx.session.execute(
        select(ConsoleSession.person_id, func.count(ConsoleSession.id)).where(
        ConsoleSession.person_id.in_(ids), ConsoleSession.revoked_at.is_(None), ConsoleSession.expires_at > ctx.now,
        ConsoleSession.seen_at > ctx.now - IDLE).group_by(ConsoleSession.person_id))).all()}
    rows = [(p, found.get(p.id), live.get(p.id, 0)) for p in staff]
    return render("people.html", **ctx.page(rows=rows, now=ctx.now, link=None, absolute=ABSOLUTE))


async def link(ctx: Ctx) -> Response:
    _admin(ctx)
    person = await _staff_member(ctx)
    secret = await accounts.password_link(session=ctx.session, person=person, now=ctx.now)
    ctx.audit("account.password_link", target=f"person:{person.id}")
    base = ctx.console.settings.public_url.rstrip("/") or str(ctx.request.base_url).rstrip("/")
    return render("link.html", **ctx.page(person=person, link=f"{base}{PREFIX}/password/{secret}"))


async def revoke(ctx: Ctx) -> Response:
    _admin(ctx)
    person = await _staff_member(ctx)
    await accounts.revoke_sessions(session=ctx.session, person_id=person.id, now=ctx.now)
    ctx.audit("account.revoke", target=f"person:{person.id}")
    return redirect(f"{PREFIX}/people?revoked={person.id}")


def routes(console: Console) -> list[Route]:
    """The people page."""
    return [
        Route("/people", view(console, people), methods=["GET"]),
        Route("/people/{person_id}/link", view(console, link, limits=LIMITS), methods=["POST"]),
        Route("/people/{person_id}/revoke", view(console, revoke, limits=LIMITS), methods=["POST"]),
    ]

