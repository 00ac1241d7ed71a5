"""Schedules in the console (issue 17 item 3): the escalation policy per paged level, the key periods, the weekly
check-in rule. The same services as `xinqiao policy`, `xinqiao period` and `xinqiao checkins rule`; counsellors
and leaders see them, the admin changes them, every change audited in the change's own transaction."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from bot.console import texts
from bot.console.context import PREFIX, Console, Ctx, view
from bot.console.pages import FormError, redirect, render
from bot.console.routes_cases import parse_id
from bot.services.crisis import policies
from bot.services.crisis.access import Refused
from bot.services.crisis.escalation_policy import PAGED_LEVELS, ROLE_TARGETS
from bot.services.schedule import checkins, periods
from bot.services.schedule.schedule_text import parse_day

LIMITS = {"csrf": 100, "level": 10, "steps": 500, "repeat": 20, "name": 100, "from": 20, "to": 20,
          "checkin": 64, "ask": 64, "deadline": 64, "grace": 5}
VIEWERS = {"admin", "leader", "counsellor"}
EDITORS = {"admin"}


def _require(ctx: Ctx, roles: set[str]) -> None:
    if not ctx.staff.role_set & roles:
        raise Refused("forbidden")


def _page(ctx: Ctx, template: str, **context: object) -> Response:
    done = texts.SCHEDULES_DONE.get(ctx.request.query_params.get("done", ""), "")
    return render(template, **ctx.page(done=done, can_edit=bool(ctx.staff.role_set & EDITORS), **context))


async def policies_page(ctx: Ctx) -> Response:
    _require(ctx, VIEWERS)
    rows = [await policies.current(session=ctx.session, school_id=ctx.staff.school_id, level=level)
            for level in PAGED_LEVELS]
    return _page(ctx, "school_policies.html", policies=rows, format_wait=policies.format_wait,
                 targets=ROLE_TARGETS)


async def set_policy(ctx: Ctx) -> Response:
    _require(ctx, EDITORS)
    level = ctx.form.get("level", "")
    if level not in PAGED_LEVELS:
        raise FormError("bad", texts.POLICY_ERRORS["level"])
    steps, repeat = ctx.form.get("steps", "").strip(), ctx.form.get("repeat", "").strip()
    if not steps:
        raise FormError("bad", texts.POLICY_ERRORS["steps"])
    try:
        policy = policies.parse_policy(level, steps, repeat or None)
        await policies.set_policy(session=ctx.session, school_id=ctx.staff.school_id, policy=policy, now=ctx.now)
    except policies.PolicyError as err:
        detail = texts.POLICY_ERRORS.get(err.kind, texts.POLICY_ERRORS["step"]).format(value=err.value)
        raise FormError("bad", detail) from err
    ctx.audit("policy.set", target=f"policy:{level},{policy.describe()}"[:200])
    return redirect(f"{PREFIX}/school/policies?done=policy")


async def periods_page(ctx: Ctx) -> Response:
    _require(ctx, VIEWERS)
    rows = await periods.list_periods(session=ctx.session, school_id=ctx.staff.school_id)
    return _page(ctx, "school_periods.html", periods=rows)


async def add_period(ctx: Ctx) -> Response:
    _require(ctx, EDITORS)
    name = ctx.form.get("name", "").strip()
    if not name:
        raise FormError("bad", texts.PERIOD_ERRORS["name"])
    today = ctx.now.astimezone(ctx.console.settings.zone).date()
    try:
        first, last = parse_day(ctx.form.get("from", ""), today), parse_day(ctx.form.get("to", ""), today)
    except ValueError as exc:
        raise FormError("bad", texts.PERIOD_ERRORS["date"]) from exc
    if last < first:
        raise FormError("bad", texts.PERIOD_ERRORS["range"].format(first=first, last=last))
    checkin = ctx.form.get("checkin", "").strip() or None
    try:
        period = await periods.add_period(session=ctx.session, school_id=ctx.staff.school_id, name=name,
                                          starts_on=first, ends_on=last, checkin=checkin,
                                          zone=ctx.console.settings.zone)
    except ValueError as exc:
        raise FormError("bad", texts.PERIOD_ERRORS["checkin"]) from exc
    ctx.audit("period.add", target=f"period:{period.id},{first}..{last}")
    return redirect(f"{PREFIX}/school/periods?done=period_add")


async def remove_period(ctx: Ctx) -> Response:
    _require(ctx, EDITORS)
    period_id = parse_id(ctx.request.path_params["period_id"])
    try:
        period = await periods.remove_period(session=ctx.session, school_id=ctx.staff.school_id,
                                             period_id=period_id)
    except LookupError as exc:
        raise Refused("unknown") from exc
    ctx.audit("period.remove", target=f"period:{period_id},{period.starts_on}..{period.ends_on}")
    return redirect(f"{PREFIX}/school/periods?done=period_remove")


async def checkins_page(ctx: Ctx) -> Response:
    _require(ctx, VIEWERS)
    rule = await checkins.rule_for(session=ctx.session, school_id=ctx.staff.school_id)
    return _page(ctx, "school_checkins.html", rule=rule, grace_range=checkins.GRACE_HOURS)


async def set_checkins(ctx: Ctx) -> Response:
    _require(ctx, EDITORS)
    ask, deadline = ctx.form.get("ask", "").strip(), ctx.form.get("deadline", "").strip()
    grace_text = ctx.form.get("grace", "").strip()
    if not ask or not deadline:
        raise FormError("bad", texts.CHECKIN_RULE_ERRORS["schedule"])
    low, high = checkins.GRACE_HOURS
    if not (grace_text.isascii() and grace_text.isdigit() and low <= int(grace_text) <= high):
        raise FormError("bad", texts.CHECKIN_RULE_ERRORS["grace"].format(low=low, high=high))
    try:
        rule = await checkins.set_rule(session=ctx.session, school_id=ctx.staff.school_id,
                                       zone=ctx.console.settings.zone, ask=ask, deadline=deadline,
                                       grace_hours=int(grace_text))
    except ValueError as exc:
        raise FormError("bad", texts.CHECKIN_RULE_ERRORS["schedule"]) from exc
    ctx.audit("checkins.rule", target=f"ask:{rule.ask},deadline:{rule.deadline},grace:{rule.grace_hours}h")
    return redirect(f"{PREFIX}/school/checkins?done=checkins")


def routes(console: Console) -> list[Route]:
    """The schedule pages."""
    return [
        Route("/school/policies", view(console, policies_page), methods=["GET"]),
        Route("/school/policies", view(console, set_policy, limits=LIMITS), methods=["POST"]),
        Route("/school/periods", view(console, periods_page), methods=["GET"]),
        Route("/school/periods/add", view(console, add_period, limits=LIMITS), methods=["POST"]),
        Route("/school/periods/{period_id}/remove", view(console, remove_period, limits=LIMITS), methods=["POST"]),
        Route("/school/checkins", view(console, checkins_page), methods=["GET"]),
        Route("/school/checkins", view(console, set_checkins, limits=LIMITS), methods=["POST"]),
    ]
