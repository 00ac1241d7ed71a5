"""Training sessions in the console (issue 17): the list, adding one (reminders queued), cancelling (members
told), attendance with one tick per member. The same services as `xinqiao training`; every change audited."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console import texts
from bot.console.context import PREFIX, Console, Ctx, view
from bot.console.pages import FormError, as_form, error_page, read_body, redirect, render
from bot.console.routes_cases import parse_id
from bot.services.crisis.access import Refused
from bot.services.schedule import training
from bot.services.schedule.training import TrainingError

LIMITS = {"csrf": 100, "title": 200, "when": 20, "place": 200, "link": 500, "audience": 16, "remind": 40}
VIEWERS = {"admin", "leader", "counsellor"}
TICKS_SCOPE = "xq_ticks"
TICKS_MAX = 2000  # members of one session's audience


def ticks_view(console: Console, handler):  # noqa: ANN001, ANN201 - a view endpoint for a form of many ticks
    """view() for the attendance form: its repeated `present` ticks (one per member, more than a form's usual 50
    fields) are read here and ride in the scope; the rest goes on to view() as an ordinary form (CSRF and all)."""
    inner = view(console, handler, limits=LIMITS)

    async def endpoint(request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != \
                "application/x-www-form-urlencoded":
            return error_page("media")
        body = await read_body(request)
        if body is None:
            return error_page("too_large")
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=TICKS_MAX + 10)
        except (UnicodeDecodeError, ValueError):
            return error_page("bad")
        ticks = [v for k, v in pairs if k == "present"]
        if not all(v.isascii() and v.isdigit() and len(v) < 10 for v in ticks):
            return error_page("bad")
        rest = [(k, v) for k, v in pairs if k != "present"]
        return await inner(as_form(request, rest, {TICKS_SCOPE: [int(v) for v in ticks]}))

    return endpoint


def _require(ctx: Ctx, roles: set[str]) -> None:
    if not ctx.staff.role_set & roles:
        raise Refused("forbidden")


@contextmanager
def _refusals() -> Iterator[None]:
    """A TrainingError from the service refuses the form: 404 for an unknown session, else 400 with its reason."""
    try:
        yield
    except TrainingError as err:
        reason = err.reason if err.reason in texts.TRAINING_ERRORS else "future" if "future" in err.reason else ""
        raise FormError("unknown" if reason == "unknown" else "bad",
                        texts.TRAINING_ERRORS.get(reason, str(err))) from err


def _done(ctx: Ctx, what: str, target: str) -> Response:
    """Audit the change as training.<what>; back to the list, which says what was done."""
    ctx.audit(f"training.{what}", target=target)
    return redirect(f"{PREFIX}/school/training?done={what}")


async def sessions_page(ctx: Ctx) -> Response:
    _require(ctx, VIEWERS)
    rows = []
    for ts in await training.list_sessions(session=ctx.session, school_id=ctx.staff.school_id):
        people = await training.participants(session=ctx.session, session_id=ts.id)
        came = sum(1 for tp, _p in people if tp.attended)
        rows.append((ts, came, len(people)))
    done = texts.TRAINING_DONE.get(ctx.request.query_params.get("done", ""), "")
    return render("school_training.html", **ctx.page(rows=rows, zone=ctx.console.settings.zone, now=ctx.now,
                                                    done=done, where_text=training.where_text))


def _when(ctx: Ctx) -> datetime:
    raw = ctx.form.get("when", "").strip().replace("T", " ")
    try:
        moment = datetime.strptime(raw, "%Y-%m-%d %H:%M")  # noqa: DTZ007 - school time, set on the next line
    except ValueError as exc:
        raise FormError("bad", texts.TRAINING_ERRORS["when"]) from exc
    return moment.replace(tzinfo=ctx.console.settings.zone)


async def add(ctx: Ctx) -> Response:
    _require(ctx, VIEWERS)
    title, place, link = (ctx.form.get(k, "").strip() for k in ("title", "place", "link"))
    if not title:
        raise FormError("bad", texts.TRAINING_ERRORS["title"])
    if not place and not link:
        raise FormError("bad", texts.TRAINING_ERRORS["where"])
    audience = ctx.form.get("audience", "")
    if audience not in texts.TRAINING_AUDIENCES:
        raise FormError("bad", texts.TRAINING_ERRORS["audience"])
    try:
        remind = training.parse_offsets(ctx.form.get("remind", "") or "24h,1h")
    except ValueError as exc:
        raise FormError("bad", texts.TRAINING_ERRORS["remind"]) from exc
    with _refusals():
        ts = await training.add_session(session=ctx.session, school_id=ctx.staff.school_id, title=title,
                                        starts_at=_when(ctx), place=place, link=link, audience=audience,
                                        remind=remind, zone=ctx.console.settings.zone, now=ctx.now)
    return _done(ctx, "add", f"training:{ts.id}")


async def cancel(ctx: Ctx) -> Response:
    _require(ctx, VIEWERS)
    session_id = parse_id(ctx.request.path_params["session_id"])
    with _refusals():
        await training.cancel_session(session=ctx.session, school_id=ctx.staff.school_id, session_id=session_id,
                                      zone=ctx.console.settings.zone, now=ctx.now)
    return _done(ctx, "cancel", f"training:{session_id}")


async def attendance_page(ctx: Ctx) -> Response:
    _require(ctx, VIEWERS)
    session_id = parse_id(ctx.request.path_params["session_id"])
    try:
        ts = await training.get_session(session=ctx.session, school_id=ctx.staff.school_id, session_id=session_id)
    except TrainingError as err:
        raise Refused("unknown") from err
    people = await training.participants(session=ctx.session, session_id=ts.id)
    return render("school_training_attendance.html", **ctx.page(ts=ts, people=people, zone=ctx.console.settings.zone))


async def attendance(ctx: Ctx) -> Response:
    _require(ctx, VIEWERS)
    session_id = parse_id(ctx.request.path_params["session_id"])
    present: list[int] = ctx.request.scope.get(TICKS_SCOPE, [])
    with _refusals():
        await training.record_attendance(session=ctx.session, school_id=ctx.staff.school_id, session_id=session_id,
                                         present=present, now=ctx.now)
    return _done(ctx, "attendance", f"training:{session_id},present:{len(present)}")


def routes(console: Console) -> list[Route]:
    """The training pages."""
    return [
        Route("/school/training", view(console, sessions_page), methods=["GET"]),
        Route("/school/training/add", view(console, add, limits=LIMITS), methods=["POST"]),
        Route("/school/training/{session_id}/cancel", view(console, cancel, limits=LIMITS), methods=["POST"]),
        Route("/school/training/{session_id}/attendance", view(console, attendance_page), methods=["GET"]),
        Route("/school/training/{session_id}/attendance", ticks_view(console, attendance), methods=["POST"]),
    ]
