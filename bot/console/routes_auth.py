"""Signing in and out, choosing a password from a one-time link, the TOTP second factor and its enrolment."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from sqlalchemy import select
from starlette.responses import Response
from starlette.routing import Route

from bot.console import texts
from bot.console.context import COOKIE, PREFIX, Console, Ctx, view
from bot.console.pages import redirect, render
from bot.db.models import Person
from bot.services.crisis.access import handles_cases, sees_cases
from bot.services.school import accounts
from bot.services.school.accounts import PASSWORD_MAX, PASSWORD_MIN, AccountError
from bot.services.school.console_sessions import ABSOLUTE, end_session, open_session

LIMITS = {"name": 100, "password": PASSWORD_MAX, "password2": PASSWORD_MAX, "code": 12, "csrf": 100,
          "enrol": 400}


def home_of(person: Person) -> str:
    """Where a person lands: the queue, or the audit page for an admin who handles no cases."""
    return f"{PREFIX}/" if sees_cases(person) else f"{PREFIX}/audit"


async def _start(ctx: Ctx, person: Person, second_factor: bool, where: str) -> Response:
    if ctx.row is not None:  # a fresh secret at every step up: no session fixation
        await end_session(session=ctx.session, row=ctx.row, now=ctx.now)
    secret = await open_session(session=ctx.session, person=person, second_factor=second_factor,
                                address=ctx.address, now=ctx.now)
    response = redirect(where)
    ctx.console.set_cookie(response, COOKIE, secret, max_age=int(ABSOLUTE.total_seconds()))
    return response


def _signin_page(ctx: Ctx, error: str = "", status: int = 200, name: str = "") -> Response:
    note = texts.EXPIRED if ctx.request.query_params.get("expired") else ""
    note = texts.SIGNED_OUT if ctx.request.query_params.get("out") else note
    note = texts.PASSWORD_DONE if ctx.request.query_params.get("password") else note
    return render("signin.html", status=status, **ctx.page(error=error, note=note, name=name))


async def signin_form(ctx: Ctx) -> Response:
    if ctx.person is not None:
        return redirect(home_of(ctx.person))
    return _signin_page(ctx)


async def signin(ctx: Ctx) -> Response:
    name, password = ctx.form.get("name", "").strip(), ctx.form.get("password", "")
    console = ctx.console
    try:
        done = await accounts.sign_in(session=ctx.session, school_id=console.school_id(), name=name,
                                      password=password, require_2fa=console.settings.console_require_2fa,
                                      now=ctx.now)
    except AccountError as err:
        person = await _named(ctx, name)
        ctx.audit("console.signin_" + ("locked" if err.reason == "locked" else "failed"),
                  target=f"person:{person.id}" if person else "", actor=f"person:{person.id}" if person else "unknown")
        return _signin_page(ctx, error=texts.SIGNIN_ERRORS[err.reason], status=401 if err.reason == "wrong" else 429,
                            name=name)
    ctx.person = done.person
    if done.needs_code:
        ctx.audit("console.signin_password", target=f"person:{done.person.id}")
        return await _start(ctx, done.person, False, f"{PREFIX}/totp")
    if done.must_enrol:
        ctx.audit("console.signin_password", target=f"person:{done.person.id}")
        return await _start(ctx, done.person, False, f"{PREFIX}/enrol")
    ctx.audit("console.signin", target=f"person:{done.person.id}")
    return await _start(ctx, done.person, True, home_of(done.person))


async def _named(ctx: Ctx, name: str) -> Person | None:
    return (await ctx.session.execute(select(Person).where(
        Person.school_id == ctx.console.school_id(), Person.name == name))).scalar_one_or_none()


async def signout(ctx: Ctx) -> Response:
    if ctx.row is not None:
        await end_session(session=ctx.session, row=ctx.row, now=ctx.now)
        ctx.audit("console.signout", target=f"person:{ctx.staff.id}")
    response = redirect(f"{PREFIX}/signin?out=1")
    response.delete_cookie(COOKIE, path=PREFIX)
    return response


def _pending(ctx: Ctx) -> bool:
    return ctx.row is not None and not ctx.row.second_factor


async def totp_form(ctx: Ctx) -> Response:
    if not _pending(ctx):
        return redirect(home_of(ctx.staff))
    return render("totp.html", **ctx.page(error=""))


async def totp(ctx: Ctx) -> Response:
    if not _pending(ctx):
        return redirect(home_of(ctx.staff))
    try:
        await accounts.check_totp(session=ctx.session, person=ctx.staff, code=ctx.form.get("code", ""),
                                  sealer=ctx.console.sealer, now=ctx.now)
    except AccountError as err:
        ctx.audit("console.signin_code_failed", target=f"person:{ctx.staff.id}")
        if err.reason == "locked":
            assert ctx.row is not None
            await end_session(session=ctx.session, row=ctx.row, now=ctx.now)
        return render("totp.html", status=401, **ctx.page(error=texts.SIGNIN_ERRORS[err.reason]))
    ctx.audit("console.signin", target=f"person:{ctx.staff.id}")
    return await _start(ctx, ctx.staff, True, home_of(ctx.staff))


def qr_data_uri(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no request leaves the page)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _enrol_page(ctx: Ctx, secret: str, error: str = "", status: int = 200) -> Response:
    sealed = ctx.console.sealer.seal_json({"person": ctx.staff.id, "secret": secret})
    uri = accounts.totp_uri(secret, ctx.staff)
    return render("enrol.html", status=status, **ctx.page(
        error=error, secret=secret, qr=qr_data_uri(uri), sealed=sealed, required=_pending(ctx)))


async def _may_enrol(ctx: Ctx) -> bool:
    """Before the second factor, only someone who has none yet may enrol (never a way around the code)."""
    return not _pending(ctx) or not (await accounts.account_of(session=ctx.session, person=ctx.staff)).totp_on


async def enrol_form(ctx: Ctx) -> Response:
    if not await _may_enrol(ctx):
        return redirect(f"{PREFIX}/totp")
    return _enrol_page(ctx, accounts.new_totp_secret())


async def enrol(ctx: Ctx) -> Response:
    if not await _may_enrol(ctx):
        return redirect(f"{PREFIX}/totp")
    opened = ctx.console.sealer.unseal_json(ctx.form.get("enrol", ""))
    if not isinstance(opened, dict) or opened.get("person") != ctx.staff.id or not opened.get("secret"):
        return _enrol_page(ctx, accounts.new_totp_secret(), error=texts.SIGNIN_ERRORS["code"], status=400)
    secret = str(opened["secret"])
    try:
        await accounts.enable_totp(session=ctx.session, person=ctx.staff, secret=secret,
                                   code=ctx.form.get("code", ""), sealer=ctx.console.sealer, now=ctx.now)
    except AccountError:
        return _enrol_page(ctx, secret, error=texts.SIGNIN_ERRORS["code"], status=400)
    ctx.audit("console.totp_enabled", target=f"person:{ctx.staff.id}")
    return await _start(ctx, ctx.staff, True, f"{PREFIX}/security?enrolled=1")


async def security(ctx: Ctx) -> Response:
    account = await accounts.account_of(session=ctx.session, person=ctx.staff)
    return render("security.html", **ctx.page(
        totp_on=account.totp_on, enrolled=bool(ctx.request.query_params.get("enrolled")),
        handles=handles_cases(ctx.staff)))


async def password_form(ctx: Ctx) -> Response:
    token = ctx.request.path_params["token"]
    try:
        person = await accounts.person_of_link(session=ctx.session, secret=token, now=ctx.now)
    except AccountError:
        return render("password.html", status=404, **ctx.page(error=texts.PASSWORD_ERRORS["link"], person=None))
    return render("password.html", **ctx.page(error="", person=person, min=PASSWORD_MIN))


async def password(ctx: Ctx) -> Response:
    token = ctx.request.path_params["token"]
    first, again = ctx.form.get("password", ""), ctx.form.get("password2", "")
    try:
        person = await accounts.person_of_link(session=ctx.session, secret=token, now=ctx.now)
    except AccountError:
        return render("password.html", status=404, **ctx.page(error=texts.PASSWORD_ERRORS["link"], person=None))
    if first != again:
        return render("password.html", status=400, **ctx.page(
            error=texts.PASSWORD_ERRORS["mismatch"], person=person, min=PASSWORD_MIN))
    try:
        await accounts.set_password(session=ctx.session, secret=token, password=first, now=ctx.now)
    except AccountError as err:
        return render("password.html", status=400, **ctx.page(
            error=texts.PASSWORD_ERRORS[err.reason].format(min=PASSWORD_MIN, max=PASSWORD_MAX), person=person,
            min=PASSWORD_MIN))
    ctx.audit("console.password_set", target=f"person:{person.id}", actor=f"person:{person.id}")
    response = redirect(f"{PREFIX}/signin?password=1")
    response.delete_cookie(COOKIE, path=PREFIX)
    return response


def routes(console: Console) -> list[Route]:
    """The sign-in routes."""
    return [
        Route("/signin", view(console, signin_form, signed_in=False), methods=["GET"]),
        Route("/signin", view(console, signin, signed_in=False, limits=LIMITS), methods=["POST"]),
        Route("/signout", view(console, signout, allow_partial=True, limits=LIMITS), methods=["POST"]),
        Route("/totp", view(console, totp_form, allow_partial=True), methods=["GET"]),
        Route("/totp", view(console, totp, allow_partial=True, limits=LIMITS), methods=["POST"]),
        Route("/enrol", view(console, enrol_form, allow_partial=True), methods=["GET"]),
        Route("/enrol", view(console, enrol, allow_partial=True, limits=LIMITS), methods=["POST"]),
        Route("/security", view(console, security), methods=["GET"]),
        Route("/password/{token}", view(console, password_form, signed_in=False), methods=["GET"]),
        Route("/password/{token}", view(console, password, signed_in=False, limits=LIMITS), methods=["POST"]),
    ]

