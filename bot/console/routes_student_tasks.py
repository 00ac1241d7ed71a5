"""A head teacher's 我的任务 (and marking a measure done), and the school's list of hospitals and clinics, in the
console. Each form is one service call of bot/services/students; refusals as in routes_students."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from bot.console import texts
from bot.console.context import PREFIX, Console, Ctx, view
from bot.console.pages import FormError, redirect, render
from bot.console.routes_cases import parse_id
from bot.console.routes_students import LIMITS
from bot.console.student_fields import field, guarded, opens_files, today, viewer
from bot.services.students import (
    institutions,
    plans,
)
from bot.services.students.errors import StudentError

INSTITUTION_LIMITS = {"csrf": 100, "name": 200, "department": 100, "phone": 40}


async def tasks(ctx: Ctx) -> Response:
    rows = await plans.tasks_of(session=ctx.session, school_id=ctx.staff.school_id, person=ctx.staff)
    done = texts.STUDENT_DONE.get(ctx.request.query_params.get("done", ""), "")
    return render("student_tasks.html", **ctx.page(rows=rows, today=today(ctx), done=done))


async def task_done(ctx: Ctx) -> Response:
    measure_id = parse_id(ctx.request.path_params["measure_id"])
    await plans.mark_done(session=ctx.session, school_id=ctx.staff.school_id, measure_id=measure_id,
                          viewer=viewer(ctx), now=ctx.now)
    back = field(ctx, "back")
    if back.isascii() and back.isdigit():  # a counsellor marking it done from the file
        return redirect(f"{PREFIX}/students/{int(back)}?done=measure#top")
    return redirect(f"{PREFIX}/tasks?done=measure")


async def institution_list(ctx: Ctx) -> Response:
    """The school's list of hospitals and clinics (psychiatric department, phone) and the form adding one."""
    opens_files(ctx)
    if ctx.request.method == "POST":
        name, department, phone = field(ctx, "name"), field(ctx, "department"), field(ctx, "phone")
        if not name:
            raise FormError("bad", texts.INSTITUTION_ERRORS["name"])
        try:
            await institutions.add_institution(session=ctx.session, school_id=ctx.staff.school_id, name=name,
                                               department=department, phone=phone, viewer=viewer(ctx))
        except StudentError as exc:
            if exc.reason in ("phone", "name"):
                raise FormError("bad", texts.INSTITUTION_ERRORS[exc.reason].format(phone=phone[:40])) from exc
            raise
        return redirect(f"{PREFIX}/institutions?done=1")
    rows = await institutions.list_institutions(session=ctx.session, school_id=ctx.staff.school_id)
    done = texts.INSTITUTION_DONE if ctx.request.query_params.get("done") else ""
    return render("institutions.html", **ctx.page(rows=rows, done=done))



def routes(console: Console) -> list[Route]:
    """The task list and the institutions' list."""
    return [
        Route("/institutions", view(console, guarded(institution_list)), methods=["GET"]),
        Route("/institutions", view(console, guarded(institution_list), limits=INSTITUTION_LIMITS),
              methods=["POST"]),
        Route("/tasks", view(console, guarded(tasks)), methods=["GET"]),
        Route("/tasks/{measure_id}/done", view(console, guarded(task_done), limits=LIMITS), methods=["POST"]),
    ]
