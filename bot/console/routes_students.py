"""Students' files (学生档案) in the console: the list, a student's file on one timeline, its forms (attention,
plan, assessment, consent, referral, feedback, contact, linking a case), a head teacher's 我的任务, and the
queue's overdue section. Each form is one service call of bot/services/students in the request's transaction:
a StudentError is a 400 with its reason (nothing kept), Forbidden a 403, another school's student a 404."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from starlette.responses import Response
from starlette.routing import Route

from bot.console import texts
from bot.console.context import PREFIX, Console, Ctx, view
from bot.console.pages import FormError, redirect, render
from bot.console.routes_cases import parse_id
from bot.console.student_fields import day, field, guarded, moment, opens_files, optional_id, today, viewer, words
from bot.console.student_timeline import describe
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
from bot.services.students.errors import StudentError

TEXT_MAX = 2000
MEASURE_ROWS = 5  # measure rows of the plan form (a plan with more is revised in steps, or at the CLI)
LIMITS = {"csrf": 100, "reason": TEXT_MAX, "goals": TEXT_MAX, "reasons": TEXT_MAX, "note": TEXT_MAX,
          "summary": TEXT_MAX, "next_step": TEXT_MAX, "feedback": TEXT_MAX, "emergency_reason": TEXT_MAX,
          "participants": 500, **{f"m{i}_text": 500 for i in range(MEASURE_ROWS)}}
ACTIONS = ("attention", "plan", "review", "assess", "consent", "referral", "send", "feedback", "return", "contact",
           "link", "unlink")



async def student_list(ctx: Ctx) -> Response:
    q = ctx.request.query_params
    name, klass = q.get("name", "").strip(), q.get("class", "").strip()
    if len(name) > 50 or len(klass) > 50:
        raise FormError("too_large")
    found = await students.list_students(session=ctx.session, school_id=ctx.staff.school_id, viewer=viewer(ctx))
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
                                         viewer=viewer(ctx))
    school = ctx.staff.school_id
    people, names = await _staff_choices(ctx)
    done = ctx.request.query_params.get("done", "")
    places = await institutions.list_institutions(session=ctx.session, school_id=school)
    return render("student.html", **ctx.page(
        f=f, s=f.student, describe=describe, zone=ctx.console.settings.zone, today=today(ctx), people=people,
        names=names, institutions=places, inst_names={i.id: i.name for i in places},
        levels=attention.LEVEL_NAMES, risk_levels=assessments.LEVEL_NAMES,
        recommendations=assessments.RECOMMENDATION_NAMES, consent_how=referrals.HOW_NAMES,
        contact_how=contacts.HOW_NAMES, rows=range(MEASURE_ROWS), done=texts.STUDENT_DONE.get(done, ""),
        planned=[r for r in f.referrals if r.state == "planned"]))


def _measures(ctx: Ctx) -> list[plans.MeasureIn]:
    out: list[plans.MeasureIn] = []
    for i in range(MEASURE_ROWS):
        text, who, due = field(ctx, f"m{i}_text"), field(ctx, f"m{i}_who"), field(ctx, f"m{i}_due")
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
    opens_files(ctx)
    school, me, zone, s, now = ctx.staff.school_id, viewer(ctx), ctx.console.settings.zone, ctx.session, ctx.now
    student = await students.get_student(session=s, school_id=school, student_id=student_id)
    if action == "attention":
        await attention.set_attention(session=s, school_id=school, student_id=student.id, level=field(ctx, "level"),
                                      reason=field(ctx, "reason"), viewer=me, now=now)
    elif action == "plan":
        review_on = day(ctx, "review_on", required=True)
        assert review_on is not None
        await plans.write_plan(session=s, school_id=school, student_id=student.id,
                               goals=field(ctx, "goals").splitlines(), measures=_measures(ctx), review_on=review_on,
                               viewer=me, zone=zone, now=now)
    elif action == "review":
        await plans.mark_reviewed(session=s, school_id=school, student_id=student.id, viewer=me, now=now)
    elif action == "assess":
        row = await assessments.record_assessment(
            session=s, school_id=school, case_id=await _their_case(ctx, student.id),
            participants=words(field(ctx, "participants")),
            level=field(ctx, "level"), recommendation=field(ctx, "recommendation"), reasons=field(ctx, "reasons"),
            held_at=moment(ctx, "held_at"), viewer=me, now=now)
        if ctx.form.get("open_referral"):
            await referrals.open_from_assessment(session=s, school_id=school, assessment=row, viewer=me, now=now)
    elif action == "consent":
        case_id = await _own_case(ctx, student.id, required=False)
        await referrals.record_consent(session=s, school_id=school, student_id=student.id,
                                       guardian_name=field(ctx, "guardian"), relation=field(ctx, "relation"),
                                       how=field(ctx, "how"), case_id=case_id, given_at=moment(ctx, "given_at"),
                                       note=field(ctx, "note"), viewer=me, now=now)
    elif action == "referral":
        case_id = await _own_case(ctx, student.id, required=False)
        inst = optional_id(ctx, "institution")
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
                                      visit_on=day(ctx, "visit_on"), feedback_due_on=day(ctx, "feedback_due_on"),
                                      emergency_reason=field(ctx, "emergency_reason"), now=now)
        else:
            await referrals.record_feedback(session=s, school_id=school, referral_id=referral,
                                            summary=field(ctx, "feedback"), viewer=me, now=now)
    elif action == "contact":
        await contacts.record_contact(session=s, school_id=school, how=field(ctx, "how"),
                                      summary=field(ctx, "summary"), viewer=me, zone=zone, student_id=student.id,
                                      case_id=await _own_case(ctx, student.id, required=False),
                                      guardian=field(ctx, "guardian"), at=moment(ctx, "at"),
                                      next_step=field(ctx, "next_step"), next_on=day(ctx, "next_on"), now=now)
    elif action == "link":
        case_id = optional_id(ctx, "case")
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
    case_id = optional_id(ctx, "case")
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
    referral_id = optional_id(ctx, "referral")
    if referral_id is None:
        raise FormError("bad")
    referral = await referrals.get_referral(session=ctx.session, school_id=ctx.staff.school_id,
                                            referral_id=referral_id)
    if referral.student_id != student_id:
        raise Refused("unknown")
    return referral.id


async def case_student(ctx: Ctx) -> Response:
    """From a case: link it to a student of the roster (by name/class), or take a wrong link off."""
    opens_files(ctx)
    case_id = parse_id(ctx.request.path_params["case_id"])
    school = ctx.staff.school_id
    case = await assessments.case_of(session=ctx.session, school_id=school, case_id=case_id)
    if ctx.request.method == "POST":
        me = viewer(ctx)
        action = ctx.request.path_params.get("action", "")
        if action not in ("link", "unlink"):
            raise Refused("unknown")
        if action == "unlink":
            await students.unlink_case(session=ctx.session, school_id=school, case_id=case.id, viewer=me, now=ctx.now)
            return redirect(f"{PREFIX}/cases/{case.id}/student?done=unlink")
        student_id = optional_id(ctx, "student")
        if student_id is None:
            raise FormError("bad", texts.STUDENT_FORM_ERRORS["student"])
        await students.link_case(session=ctx.session, school_id=school, case_id=case.id, student_id=student_id,
                                 viewer=me, now=ctx.now)
        return redirect(f"{PREFIX}/students/{student_id}?done=link#top")
    q = ctx.request.query_params
    name = q.get("name", "").strip()[:50]
    found = await students.list_students(session=ctx.session, school_id=school, viewer=viewer(ctx))
    groups = await students.group_names(session=ctx.session, school_id=school)
    rows = [s for s in found if name and name in s.name] if name else []
    current = await ctx.session.get(Student, case.student_id) if case.student_id else None
    return render("student_link.html", **ctx.page(c=case, rows=rows, groups=groups, name=name, current=current,
                                                  done=texts.STUDENT_DONE.get(q.get("done", ""), "")))


async def overdue(ctx: Ctx) -> Response:
    """The queue's section: what is overdue in the files (all for counsellors and leaders; one's own otherwise)."""
    rows = await file_timeline.overdue(session=ctx.session, school_id=ctx.staff.school_id, today=today(ctx))
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
                                  participants=words(field(ctx, "participants")), level=field(ctx, "level"),
                                  recommendation=field(ctx, "recommendation"), reasons=field(ctx, "reasons"),
                                  viewer=viewer(ctx), now=ctx.now)




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
    ]
