"""Students' files (学生档案) in the console: the list, a student's file on one timeline, its forms (attention,
plan, assessment, consent, referral, feedback, contact, linking a case), a head teacher's 我的任务, and the
queue's overdue section. Each form is one service call of bot/services/students in the request's transaction:
a StudentError is a 400 with its reason (nothing kept), Forbidden a 403, another school's student a 404."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime

from sqlalchemy import select
from starlette.responses import Response
from starlette.routing import Route

from bot.console import texts
from bot.console.context import PREFIX, Console, Ctx, view
from bot.console.pages import FormError, redirect, render
from bot.console.routes_cases import parse_id
from bot.db.models import Person, Student
from bot.db.models_people import CASE_ROLES
from bot.services.crisis.access import Refused
from bot.services.students import (
    assessments,
    attention,
    contacts,
    file_timeline,
    institutions,
    plans,
    referrals,
    students,
)
from bot.services.students.errors import Forbidden, StudentError
from bot.services.students.viewer import Viewer

TEXT_MAX = 2000
MEASURE_ROWS = 5  # measure rows of the plan form (a plan with more is revised in steps, or at the CLI)
LIMITS = {"csrf": 100, "reason": TEXT_MAX, "goals": TEXT_MAX, "reasons": TEXT_MAX, "note": TEXT_MAX,
          "summary": TEXT_MAX, "next_step": TEXT_MAX, "feedback": TEXT_MAX, "emergency_reason": TEXT_MAX,
          "participants": 500, **{f"m{i}_text": 500 for i in range(MEASURE_ROWS)}}
NOT_FOUND = ("unknown", "unknown_case", "referral", "measure")  # another school's ids read as unknown: 404
ACTIONS = ("attention", "plan", "review", "assess", "consent", "referral", "send", "feedback", "return", "contact",
           "link", "unlink")
INSTITUTION_LIMITS = {"csrf": 100, "name": 200, "department": 100, "phone": 40}

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


def _viewer(ctx: Ctx) -> Viewer:
    return Viewer(ctx.staff, address=ctx.address)


def _opens_files(ctx: Ctx) -> None:
    if not ctx.staff.role_set & set(CASE_ROLES):
        raise Refused("forbidden")


def _today(ctx: Ctx) -> date:
    return ctx.now.astimezone(ctx.console.settings.zone).date()


def _field(ctx: Ctx, name: str) -> str:
    return ctx.form.get(name, "").strip()


def _bad(kind: str, name: str) -> FormError:
    """A 400 naming the field that is wrong."""
    return FormError("bad", texts.STUDENT_FORM_ERRORS[kind].format(field=texts.STUDENT_FIELDS.get(name, name)))


def _day(ctx: Ctx, name: str, required: bool = False) -> date | None:
    raw = _field(ctx, name)
    if not raw:
        if required:
            raise _bad("date", name)
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise _bad("date", name) from exc


def _moment(ctx: Ctx, name: str) -> datetime | None:
    """A datetime-local field in school time, as UTC (empty: now)."""
    raw = _field(ctx, name)
    if not raw:
        return None
    try:
        local = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise _bad("date", name) from exc
    if local.tzinfo is None:
        local = local.replace(tzinfo=ctx.console.settings.zone)
    return local.astimezone(UTC)


def _optional_id(ctx: Ctx, name: str) -> int | None:
    raw = _field(ctx, name).lstrip("#")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        raise _bad("number", name)
    return int(raw)


def _words(raw: str) -> list[str]:
    for sep in ("，", "、", ",", "；", ";", "\n"):
        raw = raw.replace(sep, " ")
    return [w for w in raw.split() if w]


class _Blank(dict):  # a line's detail lacking a field reads as blank, never a crash
    def __missing__(self, key: str) -> str:
        return ""


def describe(line: file_timeline.Line) -> tuple[str, str]:
    """A timeline line in staff words: its head and its text (escaped by the template: a note is only text)."""
    d = line.detail
    head = texts.TIMELINE_KINDS.get(line.kind, line.kind).format_map(_Blank(d))
    k = line.kind
    if k == "case_opened":
        body = texts.LEVEL_NAMES.get(d.get("level", ""), "") + ("（" + texts.SOURCE_MAILBOX + "）"
                                                              if d.get("source") == "mailbox" else "")
    elif k == "case_closed":
        body = texts.OUTCOME_NAMES.get(d.get("outcome") or "", "")
    elif k in ("follow_up_due", "case_follow_up_set", "measure_due", "review_due", "feedback_due"):
        body = " ".join(x for x in (d.get("text", ""), str(d.get("on") or "")) if x)
    elif k == "case_note":
        body = str(d.get("text", ""))
    elif k == "attention":
        before = attention.LEVEL_NAMES.get(d.get("from") or "", texts.ATTENTION_NONE)
        body = f"{before} → {attention.LEVEL_NAMES.get(d.get('to', ''), '')}：{d.get('reason', '')}"
    elif k == "plan":
        body = "；".join(d.get("goals", [])) + f"（{texts.STUDENT_PLAN_REVIEW} {d.get('review_on', '')}）"
    elif k == "assessment":
        body = (f"{assessments.LEVEL_NAMES.get(d.get('level', ''), '')} · "
                f"{assessments.RECOMMENDATION_NAMES.get(d.get('recommendation', ''), '')} · "
                f"{'、'.join(d.get('participants', []))}：{d.get('reasons', '')}")
    elif k == "consent":
        body = " ".join(str(x) for x in (d.get("guardian"), d.get("relation"),
                                         referrals.HOW_NAMES.get(d.get("how", ""), ""), d.get("note")) if x)
    elif k == "referral":
        body = texts.REFERRAL_STATE_NAMES.get(d.get("state", ""), "")
    elif k == "referral_feedback":
        body = str(d.get("feedback", ""))
    elif k == "contact":
        body = " ".join(str(x) for x in (contacts.HOW_NAMES.get(d.get("how", ""), ""), d.get("guardian"),
                                         d.get("summary"), d.get("next_step"), d.get("next_on")) if x)
    else:
        body = ""
    return head, body


async def student_list(ctx: Ctx) -> Response:
    q = ctx.request.query_params
    name, klass = q.get("name", "").strip(), q.get("class", "").strip()
    if len(name) > 50 or len(klass) > 50:
        raise FormError("too_large")
    found = await students.list_students(session=ctx.session, school_id=ctx.staff.school_id, viewer=_viewer(ctx))
    groups = await students.group_names(session=ctx.session, school_id=ctx.staff.school_id)
    rows = [s for s in found if (not name or name in s.name)
            and (not klass or klass in groups.get(s.class_id or 0, ""))]
    return render("students.html", **ctx.page(rows=rows, groups=groups, name=name, klass=klass,
                                              levels=attention.LEVEL_NAMES))


async def _staff_choices(ctx: Ctx) -> tuple[list[Person], dict[int, str]]:
    """Who may be responsible for a measure, and every name of the school (a measure keeps its person)."""
    people = list((await ctx.session.execute(select(Person).where(Person.school_id == ctx.staff.school_id)
                                             .order_by(Person.name))).scalars())
    wanted = {*CASE_ROLES, "head_teacher", "member_class", "member_dorm"}
    return [p for p in people if p.role_set & wanted], {p.id: p.name for p in people}


async def student_page(ctx: Ctx) -> Response:
    student_id = parse_id(ctx.request.path_params["student_id"])
    f = await file_timeline.student_file(session=ctx.session, school_id=ctx.staff.school_id, student_id=student_id,
                                         viewer=_viewer(ctx))
    school = ctx.staff.school_id
    people, names = await _staff_choices(ctx)
    done = ctx.request.query_params.get("done", "")
    places = await institutions.list_institutions(session=ctx.session, school_id=school)
    return render("student.html", **ctx.page(
        f=f, s=f.student, describe=describe, zone=ctx.console.settings.zone, today=_today(ctx), people=people,
        names=names, institutions=places, inst_names={i.id: i.name for i in places},
        levels=attention.LEVEL_NAMES, risk_levels=assessments.LEVEL_NAMES,
        recommendations=assessments.RECOMMENDATION_NAMES, consent_how=referrals.HOW_NAMES,
        contact_how=contacts.HOW_NAMES, rows=range(MEASURE_ROWS), done=texts.STUDENT_DONE.get(done, ""),
        planned=[r for r in f.referrals if r.state == "planned"]))


def _measures(ctx: Ctx) -> list[plans.MeasureIn]:
    out: list[plans.MeasureIn] = []
    for i in range(MEASURE_ROWS):
        text, who, due = _field(ctx, f"m{i}_text"), _field(ctx, f"m{i}_who"), _field(ctx, f"m{i}_due")
        if not (text or who or due):
            continue
        if not text:
            raise StudentError("no_measure_text")
        if not who:
            raise StudentError("no_responsible", text=text[:40])
        try:
            on = date.fromisoformat(due)
        except ValueError as exc:
            raise FormError("bad", texts.STUDENT_FORM_ERRORS["measure_due"].format(text=text[:40])) from exc
        out.append(plans.MeasureIn(text=text, responsible=who, due_on=on))
    return out


async def act(ctx: Ctx) -> Response:
    student_id = parse_id(ctx.request.path_params["student_id"])
    action = ctx.request.path_params["action"]
    if action not in ACTIONS:
        raise Refused("unknown")
    _opens_files(ctx)
    school, me, zone, s, now = ctx.staff.school_id, _viewer(ctx), ctx.console.settings.zone, ctx.session, ctx.now
    student = await students.get_student(session=s, school_id=school, student_id=student_id)
    if action == "attention":
        await attention.set_attention(session=s, school_id=school, student_id=student.id, level=_field(ctx, "level"),
                                      reason=_field(ctx, "reason"), viewer=me, now=now)
    elif action == "plan":
        review_on = _day(ctx, "review_on", required=True)
        assert review_on is not None
        await plans.write_plan(session=s, school_id=school, student_id=student.id,
                               goals=_field(ctx, "goals").splitlines(), measures=_measures(ctx), review_on=review_on,
                               viewer=me, zone=zone, now=now)
    elif action == "review":
        await plans.mark_reviewed(session=s, school_id=school, student_id=student.id, viewer=me, now=now)
    elif action == "assess":
        row = await assessments.record_assessment(
            session=s, school_id=school, case_id=await _their_case(ctx, student.id),
            participants=_words(_field(ctx, "participants")),
            level=_field(ctx, "level"), recommendation=_field(ctx, "recommendation"), reasons=_field(ctx, "reasons"),
            held_at=_moment(ctx, "held_at"), viewer=me, now=now)
        if ctx.form.get("open_referral"):
            await referrals.open_from_assessment(session=s, school_id=school, assessment=row, viewer=me, now=now)
    elif action == "consent":
        case_id = await _own_case(ctx, student.id, required=False)
        await referrals.record_consent(session=s, school_id=school, student_id=student.id,
                                       guardian_name=_field(ctx, "guardian"), relation=_field(ctx, "relation"),
                                       how=_field(ctx, "how"), case_id=case_id, given_at=_moment(ctx, "given_at"),
                                       note=_field(ctx, "note"), viewer=me, now=now)
    elif action == "referral":
        case_id = await _own_case(ctx, student.id, required=False)
        inst = _optional_id(ctx, "institution")
        if inst is None:
            raise FormError("bad", texts.STUDENT_FORM_ERRORS["institution"])
        await referrals.open_referral(session=s, school_id=school, student_id=student.id, case_id=case_id,
                                      institution=str(inst), viewer=me, now=now)
    elif action in ("send", "feedback", "return"):
        referral = await _own_referral(ctx, student.id)
        if action == "return":
            await _record_return(ctx, referral)
        elif action == "send":
            await referrals.mark_sent(session=s, school_id=school, referral_id=referral, viewer=me, zone=zone,
                                      visit_on=_day(ctx, "visit_on"), feedback_due_on=_day(ctx, "feedback_due_on"),
                                      emergency_reason=_field(ctx, "emergency_reason"), now=now)
        else:
            await referrals.record_feedback(session=s, school_id=school, referral_id=referral,
                                            summary=_field(ctx, "feedback"), viewer=me, now=now)
    elif action == "contact":
        await contacts.record_contact(session=s, school_id=school, how=_field(ctx, "how"),
                                      summary=_field(ctx, "summary"), viewer=me, zone=zone, student_id=student.id,
                                      case_id=await _own_case(ctx, student.id, required=False),
                                      guardian=_field(ctx, "guardian"), at=_moment(ctx, "at"),
                                      next_step=_field(ctx, "next_step"), next_on=_day(ctx, "next_on"), now=now)
    elif action == "link":
        case_id = _optional_id(ctx, "case")
        if case_id is None:
            raise FormError("bad", texts.STUDENT_FORM_ERRORS["case"])
        await students.link_case(session=s, school_id=school, case_id=case_id, student_id=student.id, viewer=me,
                                 now=now)
    elif action == "unlink":
        await students.unlink_case(session=s, school_id=school, case_id=await _their_case(ctx, student.id),
                                   viewer=me, now=now)
    return redirect(f"{PREFIX}/students/{student.id}?done={action}#top")


async def _own_case(ctx: Ctx, student_id: int, required: bool = True) -> int | None:
    """The form's case, which must be one of the student's (the file's case list)."""
    case_id = _optional_id(ctx, "case")
    if case_id is None:
        if required:
            raise FormError("bad", texts.STUDENT_FORM_ERRORS["case"])
        return None
    cases = await students.cases_of(session=ctx.session, school_id=ctx.staff.school_id, student_id=student_id)
    if case_id not in {c.id for c in cases}:
        raise FormError("bad", texts.STUDENT_FORM_ERRORS["not_their_case"].format(case_id=case_id))
    return case_id


async def _their_case(ctx: Ctx, student_id: int) -> int:
    case_id = await _own_case(ctx, student_id)
    assert case_id is not None  # required: _own_case refused an empty one
    return case_id


async def _own_referral(ctx: Ctx, student_id: int) -> int:
    referral_id = _optional_id(ctx, "referral")
    if referral_id is None:
        raise FormError("bad")
    referral = await referrals.get_referral(session=ctx.session, school_id=ctx.staff.school_id,
                                            referral_id=referral_id)
    if referral.student_id != student_id:
        raise Refused("unknown")
    return referral.id


async def case_student(ctx: Ctx) -> Response:
    """From a case: link it to a student of the roster (by name/class), or take a wrong link off."""
    _opens_files(ctx)
    case_id = parse_id(ctx.request.path_params["case_id"])
    school = ctx.staff.school_id
    case = await assessments.case_of(session=ctx.session, school_id=school, case_id=case_id)
    if ctx.request.method == "POST":
        me = _viewer(ctx)
        action = ctx.request.path_params.get("action", "")
        if action not in ("link", "unlink"):
            raise Refused("unknown")
        if action == "unlink":
            await students.unlink_case(session=ctx.session, school_id=school, case_id=case.id, viewer=me, now=ctx.now)
            return redirect(f"{PREFIX}/cases/{case.id}/student?done=unlink")
        student_id = _optional_id(ctx, "student")
        if student_id is None:
            raise FormError("bad", texts.STUDENT_FORM_ERRORS["student"])
        await students.link_case(session=ctx.session, school_id=school, case_id=case.id, student_id=student_id,
                                 viewer=me, now=ctx.now)
        return redirect(f"{PREFIX}/students/{student_id}?done=link#top")
    q = ctx.request.query_params
    name = q.get("name", "").strip()[:50]
    found = await students.list_students(session=ctx.session, school_id=school, viewer=_viewer(ctx))
    groups = await students.group_names(session=ctx.session, school_id=school)
    rows = [s for s in found if name and name in s.name] if name else []
    current = await ctx.session.get(Student, case.student_id) if case.student_id else None
    return render("student_link.html", **ctx.page(c=case, rows=rows, groups=groups, name=name, current=current,
                                                  done=texts.STUDENT_DONE.get(q.get("done", ""), "")))


async def tasks(ctx: Ctx) -> Response:
    rows = await plans.tasks_of(session=ctx.session, school_id=ctx.staff.school_id, person=ctx.staff)
    done = texts.STUDENT_DONE.get(ctx.request.query_params.get("done", ""), "")
    return render("student_tasks.html", **ctx.page(rows=rows, today=_today(ctx), done=done))


async def task_done(ctx: Ctx) -> Response:
    measure_id = parse_id(ctx.request.path_params["measure_id"])
    await plans.mark_done(session=ctx.session, school_id=ctx.staff.school_id, measure_id=measure_id,
                          viewer=_viewer(ctx), now=ctx.now)
    back = _field(ctx, "back")
    if back.isascii() and back.isdigit():  # a counsellor marking it done from the file
        return redirect(f"{PREFIX}/students/{int(back)}?done=measure#top")
    return redirect(f"{PREFIX}/tasks?done=measure")


async def overdue(ctx: Ctx) -> Response:
    """The queue's section: what is overdue in the files (all for counsellors and leaders; one's own otherwise)."""
    rows = await file_timeline.overdue(session=ctx.session, school_id=ctx.staff.school_id, today=_today(ctx))
    openers = bool(ctx.staff.role_set & set(CASE_ROLES))
    if not openers:
        rows = [r for r in rows if r.kind == "measure" and r.responsible_id == ctx.staff.id]
    return render("student_overdue.html", **ctx.page(rows=rows, openers=openers))


async def _record_return(ctx: Ctx, referral_id: int) -> None:
    """The return-to-school assessment on a sent referral of one of the student's cases."""
    referral = await referrals.get_referral(session=ctx.session, school_id=ctx.staff.school_id,
                                            referral_id=referral_id)
    if referral.case_id is None:
        raise FormError("bad", texts.STUDENT_FORM_ERRORS["return_no_case"])
    if referral.state != "sent":
        raise FormError("bad", texts.STUDENT_FORM_ERRORS["return_state"])
    await referrals.record_return(session=ctx.session, school_id=ctx.staff.school_id, referral_id=referral.id,
                                  participants=_words(_field(ctx, "participants")), level=_field(ctx, "level"),
                                  recommendation=_field(ctx, "recommendation"), reasons=_field(ctx, "reasons"),
                                  viewer=_viewer(ctx), now=ctx.now)


async def institution_list(ctx: Ctx) -> Response:
    """The school's list of hospitals and clinics (psychiatric department, phone) and the form adding one."""
    _opens_files(ctx)
    if ctx.request.method == "POST":
        name, department, phone = _field(ctx, "name"), _field(ctx, "department"), _field(ctx, "phone")
        if not name:
            raise FormError("bad", texts.INSTITUTION_ERRORS["name"])
        try:
            await institutions.add_institution(session=ctx.session, school_id=ctx.staff.school_id, name=name,
                                               department=department, phone=phone, viewer=_viewer(ctx))
        except StudentError as exc:
            if exc.reason in ("phone", "name"):
                raise FormError("bad", texts.INSTITUTION_ERRORS[exc.reason].format(phone=phone[:40])) from exc
            raise
        return redirect(f"{PREFIX}/institutions?done=1")
    rows = await institutions.list_institutions(session=ctx.session, school_id=ctx.staff.school_id)
    done = texts.INSTITUTION_DONE if ctx.request.query_params.get("done") else ""
    return render("institutions.html", **ctx.page(rows=rows, done=done))


def routes(console: Console) -> list[Route]:
    """The students' files routes."""
    return [
        Route("/students", view(console, guarded(student_list)), methods=["GET"]),
        Route("/students/overdue", view(console, guarded(overdue), touch=False), methods=["GET"]),
        Route("/students/{student_id}", view(console, guarded(student_page)), methods=["GET"]),
        Route("/students/{student_id}/{action}", view(console, guarded(act), limits=LIMITS), methods=["POST"]),
        Route("/cases/{case_id}/student", view(console, guarded(case_student)), methods=["GET"]),
        Route("/cases/{case_id}/student/{action}", view(console, guarded(case_student), limits=LIMITS),
              methods=["POST"]),
        Route("/institutions", view(console, guarded(institution_list)), methods=["GET"]),
        Route("/institutions", view(console, guarded(institution_list), limits=INSTITUTION_LIMITS),
              methods=["POST"]),
        Route("/tasks", view(console, guarded(tasks)), methods=["GET"]),
        Route("/tasks/{measure_id}/done", view(console, guarded(task_done), limits=LIMITS), methods=["POST"]),
    ]
