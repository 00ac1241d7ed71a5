"""The queue (待处理), the case page and its actions: every action one form, each calling the same service
as the chat command, audited, answered by the case page again (303)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from starlette.responses import Response
from starlette.routing import Route

from bot.console import texts
from bot.console.case_page import anonymous_reports, gather, thread_messages
from bot.console.context import PREFIX, Console, Ctx, view
from bot.console.pages import FormError, redirect, render
from bot.db.models import Case, Group, Person
from bot.db.models_cases import CASE_STATUSES, OUTCOMES
from bot.db.models_people import CASE_ROLES
from bot.services.crisis import casework, mailbox
from bot.services.crisis.access import Refused, case_for, handles_cases, sees_cases
from bot.services.crisis.case_lists import Filters, case_list
from bot.services.crisis.cases import CaseError, add_note
from bot.services.crisis.closing import ClosingTexts
from bot.services.crisis.mailbox import ThreadError
from bot.services.schedule.followups import follow_up_note, set_follow_up
from bot.services.schedule.periods import off_school
from bot.services.schedule.schedule_text import day_text
from keywords import CATEGORIES

TEXT_MAX = 2000
LIMITS = {"csrf": 100, "text": TEXT_MAX, "close_text": TEXT_MAX, "reason": casework.REASON_MAX, "date": 10,
          "confirm": 10, "status": 16, "level": 8, "assignee": 12, "head_teacher": 12, "other": 12, "outcome": 16}


def parse_id(raw: str) -> int:
    """A case or person id from a path or form; Refused('unknown') for anything else."""
    raw = raw.strip().lstrip("#")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise Refused("unknown")
    return int(raw)


def _day(raw: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise FormError("bad") from exc


def filters_from(ctx: Ctx, closed: bool = False) -> Filters:
    """The queue's or history's filters from the query string; a value that is not one of the choices is a 400."""
    q = ctx.request.query_params
    level, status, category, outcome = q.get("level", ""), q.get("status", ""), q.get("category", ""), q.get(
        "outcome", "")
    if level and level not in texts.LEVEL_NAMES or status and status not in CASE_STATUSES or \
            category and category not in CATEGORIES or outcome and outcome not in OUTCOMES:
        raise FormError("bad")
    holder, group = q.get("holder", ""), q.get("group", "")
    for raw in (holder, group):
        if raw and not (raw.isascii() and raw.isdigit() and len(raw) < 10):
            raise FormError("bad")
    search = q.get("q", "")
    if len(search) > 100:
        raise FormError("too_large")
    return Filters(level=level, status=status, category=category, outcome=outcome,
                   holder_id=int(holder) if holder else None, group_id=int(group) if group else None,
                   since=_day(q.get("since", "")), until=_day(q.get("until", "")), search=search)


async def _only(ctx: Ctx) -> set[int] | None:
    if handles_cases(ctx.staff):
        return None
    if "head_teacher" in ctx.staff.role_set:
        shared = await casework.shared_with(session=ctx.session, person=ctx.staff)
        return shared - await _anonymous(ctx, shared)
    raise Refused("forbidden")


async def _anonymous(ctx: Ctx, ids: set[int]) -> set[int]:
    return set((await ctx.session.execute(select(Case.id).where(Case.id.in_(ids or {0}),
                                                                Case.source == "mailbox"))).scalars())


async def _choices(ctx: Ctx) -> dict[str, object]:
    people = list((await ctx.session.execute(select(Person).where(Person.school_id == ctx.staff.school_id)
                                             .order_by(Person.name))).scalars())
    groups = list((await ctx.session.execute(select(Group).where(Group.school_id == ctx.staff.school_id)
                                             .order_by(Group.kind, Group.name))).scalars())
    return {"holders": [p for p in people if p.role_set & set(CASE_ROLES)], "groups": groups,
            "categories": [c for c in CATEGORIES if c != "none"]}


def _row_context(ctx: Ctx, rows: list) -> dict[str, object]:
    today = ctx.now.astimezone(ctx.console.settings.zone).date()
    return {"rows": rows, "now": ctx.now, "zone": ctx.console.settings.zone, "today": today,
            "follow_up_note": follow_up_note, "red_ids": " ".join(str(r.case.id) for r in rows
                                                                   if r.case.level == "red")}


async def queue(ctx: Ctx) -> Response:
    only = await _only(ctx)
    filters = filters_from(ctx)
    rows = await case_list(session=ctx.session, school_id=ctx.staff.school_id, filters=filters,
                           zone=ctx.console.settings.zone, only=only)
    return render("queue.html", **ctx.page(**_row_context(ctx, rows), **await _choices(ctx), f=filters,
                                          query=ctx.request.url.query))


async def queue_rows(ctx: Ctx) -> Response:
    only = await _only(ctx)
    rows = await case_list(session=ctx.session, school_id=ctx.staff.school_id, filters=filters_from(ctx),
                           zone=ctx.console.settings.zone, only=only)
    return render("queue_rows.html", **ctx.page(**_row_context(ctx, rows), query=ctx.request.url.query))


async def case_page(ctx: Ctx) -> Response:
    case_id = parse_id(ctx.request.path_params["case_id"])
    return await _case_page(ctx, await case_for(session=ctx.session, person=ctx.staff, case_id=case_id))


async def _case_page(ctx: Ctx, case: Case, confirm_follow_up: dict[str, str] | None = None) -> Response:
    """The case page; confirm_follow_up: a follow-up day off school, asked again (date, question)."""
    staff = handles_cases(ctx.staff)
    page = await gather(session=ctx.session, case=case, triager=ctx.console.triager, with_thread=staff,
                        for_staff=staff)
    ctx.audit("case.view", target=f"case:{case.id}")
    done = ctx.request.query_params.get("done", "")
    today = ctx.now.astimezone(ctx.console.settings.zone).date()
    return render("case.html", **ctx.page(
        p=page, c=case, zone=ctx.console.settings.zone, may_act=staff and case.status != "closed",
        done=texts.DONE_SHORT.get(done, ""), follow_up=follow_up_note(case, today), today=today,
        statuses=casework.STATUSES, levels=casework.LEVELS, outcomes=OUTCOMES, confirm_fu=confirm_follow_up))


async def thread_rows(ctx: Ctx) -> Response:
    case = await case_for(session=ctx.session, person=ctx.staff, case_id=parse_id(ctx.request.path_params["case_id"]))
    thread = await mailbox.thread_for_case(session=ctx.session, case_id=case.id)
    if thread is None or not handles_cases(ctx.staff):
        raise Refused("unknown" if thread is None else "forbidden")
    reports = await anonymous_reports(session=ctx.session, case=case)
    messages = await thread_messages(session=ctx.session, thread=thread, reports=reports, triager=ctx.console.triager)
    return render("thread.html", **ctx.page(c=case, messages=messages, zone=ctx.console.settings.zone))


def _text(ctx: Ctx, name: str = "text", required: bool = True) -> str:
    value = ctx.form.get(name, "").strip()
    if required and not value:
        raise FormError("bad", texts.ACTION_ERRORS["empty"])
    return value


def _closing(ctx: Ctx) -> ClosingTexts:
    return ClosingTexts(student=texts.closing_text(ctx.console.settings),
                        reporter=texts.counsellor_texts.REPORTER_THANKS, paged=texts.counsellor_texts.PAGED_CLOSED)


async def act(ctx: Ctx) -> Response:
    case_id = parse_id(ctx.request.path_params["case_id"])
    action = ctx.request.path_params["action"]
    if action not in texts.ACTIONS:
        raise Refused("unknown")
    await case_for(session=ctx.session, person=ctx.staff, case_id=case_id, act=True)
    me, now, zone = ctx.staff, ctx.now, ctx.console.settings.zone
    s = ctx.session
    if action == "ack":
        await casework.take(session=s, case_id=case_id, person=me, now=now)
    elif action == "note":
        await add_note(session=s, case_id=case_id, person=me, text=_text(ctx), now=now)
    elif action == "reply":
        thread = await mailbox.thread_for_case(session=s, case_id=case_id)
        if thread is None:
            raise CaseError("thread")
        try:
            await mailbox.counsellor_reply(session=s, code=thread.code, person=me, text=_text(ctx),
                                           push_text=texts.mailbox_texts.REPLY_PUSH, now=now)
        except ThreadError as exc:
            raise CaseError("thread") from exc
    elif action == "follow_up":
        on = _day(ctx.form.get("date", ""))
        if on is None:
            raise CaseError("date")
        why = await off_school(session=s, school_id=me.school_id, day=on)
        if why and ctx.form.get("confirm", "") != on.isoformat():  # as the chat asks: the page again, 200
            case = await case_for(session=s, person=me, case_id=case_id)
            return await _case_page(ctx, case, {"date": on.isoformat(),
                                                "text": texts.FOLLOW_UP_CONFIRM.format(day=day_text(on), why=why)})
        await set_follow_up(session=s, case_id=case_id, person=me, on=on, zone=zone, now=now)
    elif action == "status":
        await casework.set_status(session=s, case_id=case_id, person=me, status=ctx.form.get("status", ""), now=now)
    elif action == "level":
        await casework.change_level(session=s, case_id=case_id, person=me, level=ctx.form.get("level", ""),
                                    reason=ctx.form.get("reason", ""), zone=zone, now=now)
    elif action == "assign":
        await casework.assign(session=s, case_id=case_id, person=me, to_id=_person_id(ctx, "assignee"),
                              page=texts.ASSIGNED_PAGE, now=now)
    elif action == "share":
        await casework.share(session=s, case_id=case_id, person=me, head_teacher_id=_person_id(ctx, "head_teacher"),
                             notice=texts.SHARED_NOTICE, now=now)
    elif action == "duplicate":
        other = ctx.form.get("other", "").strip().lstrip("#")
        if not (other.isascii() and other.isdigit() and len(other) < 10):
            raise CaseError("other")
        await casework.link_duplicate(session=s, case_id=case_id, person=me, other_id=int(other), texts=_closing(ctx),
                                      outcome_name=texts.OUTCOME_NAMES["duplicate"], now=now)
    elif action == "close":
        outcome = ctx.form.get("outcome", "")
        if outcome not in OUTCOMES:
            raise CaseError("outcome")
        await casework.close(session=s, case_id=case_id, person=me, outcome=outcome,
                             outcome_name=texts.OUTCOME_NAMES[outcome], texts=_closing(ctx),
                             text=_text(ctx, "close_text", required=False), now=now)
    ctx.audit(f"case.{action}", target=f"case:{case_id}")
    return redirect(f"{PREFIX}/cases/{case_id}?done={action}#top")


def _person_id(ctx: Ctx, name: str) -> int:
    raw = ctx.form.get(name, "")
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        raise CaseError("assignee" if name == "assignee" else "head_teacher")
    return int(raw)


async def home(ctx: Ctx) -> Response:
    if not sees_cases(ctx.staff):
        return redirect(f"{PREFIX}/audit")
    return await queue(ctx)


def routes(console: Console) -> list[Route]:
    """The queue and case routes."""
    return [
        Route("/", view(console, home), methods=["GET"]),
        Route("/queue/rows", view(console, queue_rows, touch=False), methods=["GET"]),
        Route("/cases/{case_id}", view(console, case_page), methods=["GET"]),
        Route("/cases/{case_id}/thread", view(console, thread_rows, touch=False), methods=["GET"]),
        Route("/cases/{case_id}/{action}", view(console, act, limits=LIMITS), methods=["POST"]),
    ]

