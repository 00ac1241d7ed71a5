"""Is the school ready (issue 17): the doctor's checks as a page (each line green or red with what to do; the
key backup confirmed by a form, audited), and the invites: codes for everyone without one, the printable sheet
(invite_sheet.render, its print stylesheet allowed by its hash; WeChat's parametrised QR codes when the Official
Account is configured, through the function bot/app.py passes in), and a new code for one person."""

from __future__ import annotations

import base64
import hashlib

from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.console import texts
from bot.console.context import PREFIX, Console, Ctx, view
from bot.console.pages import CSP, HEADERS, FormError, redirect, render
from bot.db.models import Person, School
from bot.services.crisis.access import Refused
from bot.services.school import doctor, invite_sheet, invites
from bot.services.school.doctor import Check
from bot.texts import school as school_texts

LIMITS = {"csrf": 100, "person": 12}
_STYLE_HASH = base64.b64encode(hashlib.sha256(invite_sheet.STYLE.encode("utf-8")).digest()).decode()
SHEET_HEADERS = {**HEADERS, "Content-Security-Policy": CSP.replace("style-src 'self'",
                                                                   f"style-src 'self' 'sha256-{_STYLE_HASH}'")}


def _require(ctx: Ctx, roles: set[str]) -> None:
    if not ctx.staff.role_set & roles:
        raise Refused("forbidden")


async def doctor_page(ctx: Ctx) -> Response:
    _require(ctx, {"admin", "leader"})
    settings, probe = ctx.console.settings, ctx.console.probe_channels
    statuses = await probe() if probe is not None else []
    checks = await doctor.run_checks(session=ctx.session, school_id=ctx.staff.school_id, settings=settings,
                                     statuses=statuses, now=ctx.now)
    if probe is None:  # no channel probe wired in: say so instead of a false red line
        checks = [Check(c.title, False, texts.DOCTOR_NO_PROBE) if c.title == school_texts.DR_CHANNELS else c
                  for c in checks]
    bad = sum(not c.ok for c in checks)
    return render("school_doctor.html", **ctx.page(
        checks=checks, bad=bad, may_confirm="admin" in ctx.staff.role_set,
        done=texts.DOCTOR_CONFIRMED if ctx.request.query_params.get("done") == "key" else ""))


async def confirm_key(ctx: Ctx) -> Response:
    _require(ctx, {"admin"})
    doctor.confirm_key_backup(ctx.session, school_id=ctx.staff.school_id, key=ctx.console.settings.key,
                              actor=f"person:{ctx.staff.id}", address=ctx.address, now=ctx.now)
    return redirect(f"{PREFIX}/school/doctor?done=key")


async def invites_page(ctx: Ctx) -> Response:
    _require(ctx, {"admin"})
    # the counts only (invites.cards would audit a sheet being made): who is invited, bound, holding a valid code
    people, bound_ids, valid = await invites._state(ctx.session, ctx.staff.school_id, ctx.now)  # noqa: SLF001
    made = people
    bound = len(bound_ids)
    coded = sum(1 for p in people if p.id not in bound_ids and p.id in valid)
    issued, again = ctx.request.query_params.get("issued", ""), ctx.request.query_params.get("reissued", "")
    names = {p.id: p.name for p in people}
    rows = [{"id": p.id, "name": p.name, "bound": p.id in bound_ids,
             "until": valid[p.id].expires_at.astimezone(ctx.console.settings.zone).strftime("%Y-%m-%d")
             if p.id in valid else ""} for p in people]
    notice = texts.INVITES_ISSUED.format(count=int(issued)) if issued.isdigit() and len(issued) < 6 else ""
    if again.isdigit() and int(again) in names:
        notice = texts.INVITES_REISSUED.format(name=names[int(again)])
    return render("school_invites.html", **ctx.page(
        total=len(made), bound=bound, coded=coded, missing=len(made) - bound - coded, days=invites.DEFAULT_DAYS,
        issued=notice, people=rows))


async def issue(ctx: Ctx) -> Response:
    _require(ctx, {"admin"})
    made = await invites.issue_missing(session=ctx.session, school_id=ctx.staff.school_id, now=ctx.now,
                                       actor=f"person:{ctx.staff.id}", address=ctx.address)
    return redirect(f"{PREFIX}/school/invites?issued={len(made)}")


async def reissue(ctx: Ctx) -> Response:
    """A new code for one member or staff person (a lost card): their unused codes stop working at once."""
    _require(ctx, {"admin"})
    ref = ctx.form.get("person", "")
    person = await ctx.session.get(Person, int(ref)) if ref.isdigit() else None
    if person is None or person.school_id != ctx.staff.school_id or not invites.invited(person):
        raise FormError("bad", texts.INVITES_UNKNOWN)
    await invites.reissue(session=ctx.session, school_id=ctx.staff.school_id, person=person, now=ctx.now,
                          actor=f"person:{ctx.staff.id}", address=ctx.address)
    return redirect(f"{PREFIX}/school/invites?reissued={person.id}")


async def sheet(ctx: Ctx) -> Response:
    _require(ctx, {"admin"})
    school = await ctx.session.get(School, ctx.staff.school_id)
    wechat = ctx.console.invite_qr() if ctx.console.invite_qr is not None else None
    try:
        made = await invites.cards(session=ctx.session, school_id=ctx.staff.school_id, now=ctx.now,
                                   actor=f"person:{ctx.staff.id}", scene_qr=wechat[0] if wechat else None)
    finally:
        if wechat:
            await wechat[1].close()
    page = invite_sheet.render(cards=made, school=school.name if school else "", zone=ctx.console.settings.zone,
                               now=ctx.now, days=invites.DEFAULT_DAYS)
    return HTMLResponse(page, headers=SHEET_HEADERS)


def routes(console: Console) -> list[Route]:
    """The doctor and invite pages."""
    return [
        Route("/school/doctor", view(console, doctor_page), methods=["GET"]),
        Route("/school/doctor/confirm-key", view(console, confirm_key, limits=LIMITS), methods=["POST"]),
        Route("/school/invites", view(console, invites_page), methods=["GET"]),
        Route("/school/invites/issue", view(console, issue, limits=LIMITS), methods=["POST"]),
        Route("/school/invites/sheet", view(console, sheet), methods=["GET"]),
        Route("/school/invites/reissue", view(console, reissue, limits=LIMITS), methods=["POST"]),
    ]
