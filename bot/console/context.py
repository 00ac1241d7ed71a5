"""One console request: its database transaction, the signed-in person, CSRF, and the mapping of every
refusal to a clear page (403, 404, 4xx), so that nothing half-written is ever kept."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import Response

from bot.config import Settings
from bot.console import texts
from bot.console.pages import FormError, client_address, error_page, read_form, redirect
from bot.db.base import utcnow
from bot.db.engine import unavailable
from bot.db.models import ConsoleSession, Person
from bot.services.crisis.access import Refused
from bot.services.crisis.cases import CaseError
from bot.services.messaging.sealing import Sealer
from bot.services.school import audit
from bot.services.school.console_sessions import IDLE, csrf_ok, csrf_token, live_session
from keywords import Triager

log = logging.getLogger(__name__)
COOKIE = "xq_console"
PRE_COOKIE = "xq_console_pre"  # before sign-in: the double-submitted CSRF secret of the sign-in forms
PREFIX = "/console"


@dataclass
class Console:
    """What the console needs from the app: the database, settings, the sealer, triage, and the delivery kick."""

    sessions: async_sessionmaker[AsyncSession]
    settings: Settings
    sealer: Sealer
    triager: Triager
    school_id: Callable[[], int]
    after_commit: Callable[[], Awaitable[None]] | None = None
    probe_channels: Callable[[], Awaitable[list[Any]]] | None = None  # the doctor page's channel checks (issue 17)
    # the invite sheet's WeChat QR codes: () -> (scene_qr(code, seconds) -> URL, the API to close) or None (no WeChat)
    invite_qr: Callable[[], Any] | None = None

    @property
    def secure(self) -> bool:
        """Cookies are Secure when staff reach the console over https."""
        return self.settings.public_url.lower().startswith("https://")

    def set_cookie(self, response: Response, name: str, value: str, max_age: int | None = None) -> None:
        """An HttpOnly, SameSite=Lax cookie scoped to the console (Secure behind https)."""
        response.set_cookie(name, value, max_age=max_age, path=PREFIX, httponly=True, samesite="lax",
                            secure=self.secure)


@dataclass
class Ctx:
    """One request being served."""

    console: Console
    request: Request
    session: AsyncSession
    now: datetime
    person: Person | None = None
    row: ConsoleSession | None = None
    secret: str = ""
    form: dict[str, str] = field(default_factory=dict)
    who: tuple[int, int] | None = None  # (person id, school id), kept as plain values past a rollback
    pre: str = ""  # the pre-sign-in CSRF secret (new one set on the response when it was missing)
    new_pre: bool = False

    @property
    def staff(self) -> Person:
        """The signed-in person (the wrapper guarantees one where it is required)."""
        assert self.person is not None
        return self.person

    @property
    def csrf(self) -> str:
        """The token every form of this page carries."""
        key = self.console.settings.key
        return csrf_token(self.secret, key) if self.secret else csrf_token("pre:" + self.pre, key)

    @property
    def address(self) -> str | None:
        """The client's address, for the audit trail."""
        return client_address(self.request)

    def audit(self, action: str, target: str = "", actor: str | None = None) -> None:
        """An audit entry in this request's transaction (kept exactly when the action is)."""
        who = actor or (f"person:{self.person.id}" if self.person else "anonymous")
        school = self.person.school_id if self.person else None
        audit.record(self.session, actor=who, action=action, target=target, school_id=school,
                     address=self.address, at=self.now)

    def page(self, **context: Any) -> dict[str, Any]:
        """What every template gets."""
        roles = self.person.role_set if self.person else set()
        return {"staff": self.person, "csrf": self.csrf, "prefix": PREFIX,
                "nav_cases": bool(roles & {"counsellor", "leader", "head_teacher"}),
                "nav_audit": bool(roles & {"leader", "admin"}), "nav_people": "admin" in roles, **context}


Handler = Callable[[Ctx], Awaitable[Response]]


def view(console: Console, handler: Handler, *, signed_in: bool = True, limits: dict[str, int] | None = None,
         touch: bool = True, allow_partial: bool = False) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a handler: one transaction, the session cookie, CSRF on every POST, refusals as pages.

    allow_partial: a session that has passed the password but not yet the second factor may use it.
    touch: the request counts as activity (the queue's polling does not, so an idle tab still times out).
    """

    async def endpoint(request: Request) -> Response:
        kicked = False
        ctx: Ctx | None = None
        try:
            async with console.sessions() as session:
                async with session.begin():
                    ctx = Ctx(console=console, request=request, session=session, now=utcnow())
                    response = await _serve(ctx, handler, signed_in, limits, touch, allow_partial)
                kicked = bool(session.info.get("outbox_queued"))
        except FormError as err:
            return error_page(err.reason, err.detail)
        except Refused as err:
            if ctx is not None and ctx.who is not None:  # who tried to open what: kept, though nothing else is
                await _audit_refusal(console, ctx, err.reason)
            return error_page(err.reason)
        except CaseError as err:
            return error_page("bad", texts.ACTION_ERRORS.get(err.reason, texts.ERRORS["bad"][1]))
        except Exception as exc:
            if unavailable(exc):
                log.warning("console: database unavailable (%s)", type(exc).__name__)
                return error_page("busy")
            raise
        if kicked and console.after_commit is not None:
            await console.after_commit()
        return response

    return endpoint


async def _audit_refusal(console: Console, ctx: Ctx, reason: str) -> None:
    assert ctx.who is not None
    try:
        async with console.sessions() as session, session.begin():
            audit.record(session, actor=f"person:{ctx.who[0]}", action=f"console.refused_{reason}",
                         target=ctx.request.url.path[len(PREFIX):][:200], school_id=ctx.who[1],
                         address=ctx.address, at=ctx.now)
    except Exception:  # the refusal page matters more than its audit line
        log.exception("console: could not audit a refusal")


async def _serve(ctx: Ctx, handler: Handler, signed_in: bool, limits: dict[str, int] | None, touch: bool,
                 allow_partial: bool) -> Response:
    request = ctx.request
    secret = request.cookies.get(COOKIE, "")
    row = await live_session(session=ctx.session, secret=secret, now=ctx.now, touch=touch) if secret else None
    if row is not None and (row.second_factor or allow_partial):
        ctx.row, ctx.secret = row, secret
        ctx.person = await ctx.session.get(Person, row.person_id)
        ctx.who = (ctx.person.id, ctx.person.school_id) if ctx.person else None
    if signed_in and ctx.person is None:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": f"{PREFIX}/signin?expired=1"})
        return redirect(f"{PREFIX}/signin" + ("?expired=1" if secret else ""))
    ctx.pre = request.cookies.get(PRE_COOKIE, "")
    if not ctx.pre or len(ctx.pre) > 100:
        ctx.pre, ctx.new_pre = secrets.token_urlsafe(24), True
    if request.method == "POST":
        ctx.form = await read_form(request, limits)
        token = ctx.form.get("csrf") or request.headers.get("x-csrf-token", "")
        key = ctx.console.settings.key
        if ctx.secret:
            good = csrf_ok(ctx.secret, key, token)
        else:
            good = not ctx.new_pre and csrf_ok("pre:" + ctx.pre, key, token)
        if not good:
            raise FormError("csrf")
    response = await handler(ctx)
    if ctx.new_pre:
        ctx.console.set_cookie(response, PRE_COOKIE, ctx.pre, max_age=int(IDLE.total_seconds()) * 2)
    return response
