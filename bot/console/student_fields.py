"""The students' forms in the console, field by field: a refusal as the console's (guarded), who is asking,
and each field read from the form (a date, a moment in school time, an optional id, a list of words), a wrong
one a 400 naming it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime

from starlette.responses import Response

from bot.console import texts
from bot.console.context import Ctx
from bot.console.pages import FormError
from bot.db.models_people import CASE_ROLES
from bot.services.crisis.access import Refused
from bot.services.students.errors import Forbidden, StudentError
from bot.services.students.viewer import Viewer

NOT_FOUND = ("unknown", "unknown_case", "referral", "measure")  # another school's ids read as unknown: 404

Handler = Callable[[Ctx], Awaitable[Response]]


def guarded(handler: Handler) -> Handler:
    """The students' refusals as the console's: Forbidden a 403 (audited), unknown a 404, others a 400 saying why.

    Raised inside the request's transaction, so nothing of a refused form is kept."""

    async def inner(ctx: Ctx) -> Response:
        try:
            return await handler(ctx)
        except Forbidden as exc:
            raise Refused("forbidden") from exc
        except StudentError as exc:
            if exc.reason in NOT_FOUND:
                raise Refused("unknown") from exc
            raise FormError("bad", exc.message) from exc

    return inner


def viewer(ctx: Ctx) -> Viewer:
    return Viewer(ctx.staff, address=ctx.address)


def opens_files(ctx: Ctx) -> None:
    if not ctx.staff.role_set & set(CASE_ROLES):
        raise Refused("forbidden")


def today(ctx: Ctx) -> date:
    return ctx.now.astimezone(ctx.console.settings.zone).date()


def field(ctx: Ctx, name: str) -> str:
    return ctx.form.get(name, "").strip()


def bad(kind: str, name: str) -> FormError:
    """A 400 naming the field that is wrong."""
    return FormError("bad", texts.STUDENT_FORM_ERRORS[kind].format(field=texts.STUDENT_FIELDS.get(name, name)))


def day(ctx: Ctx, name: str, required: bool = False) -> date | None:
    raw = field(ctx, name)
    if not raw:
        if required:
            raise bad("date", name)
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise bad("date", name) from exc


def moment(ctx: Ctx, name: str) -> datetime | None:
    """A datetime-local field in school time, as UTC (empty: now)."""
    raw = field(ctx, name)
    if not raw:
        return None
    try:
        local = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise bad("date", name) from exc
    if local.tzinfo is None:
        local = local.replace(tzinfo=ctx.console.settings.zone)
    return local.astimezone(UTC)


def optional_id(ctx: Ctx, name: str) -> int | None:
    raw = field(ctx, name).lstrip("#")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        raise bad("number", name)
    return int(raw)


def words(raw: str) -> list[str]:
    for sep in ("，", "、", ",", "；", ";", "\n"):
        raw = raw.replace(sep, " ")
    return [w for w in raw.split() if w]


