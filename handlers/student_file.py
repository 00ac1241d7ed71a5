"""Counsellors' quick steps on a student's file from chat (家访, 评估, 转介同意, 紧急转介, 关联) and everyone's own plan
measures (我的措施, 完成措施): each one call of the students' services; the console is where a file is read."""

from __future__ import annotations

import re

from bot.services.students import assessments, contacts, file_timeline, plans, referrals
from bot.services.students.errors import StudentError
from bot.services.students.guardians import find_guardian
from bot.services.students.students import (
    get_student,
    group_names,
    label,
    link_case,
    resolve_student,
    unlink_case,
)
from bot.services.students.viewer import Viewer
from bot.texts import student_chat as ST
from handlers.base import Command, Context, Flow, Result
from handlers.staff_text import say


def _viewer(ctx: Context) -> Viewer:
    assert ctx.who is not None
    return Viewer(ctx.who.person)


async def _home_visit(ctx: Context, m: re.Match[str]) -> Result:
    case_id, text = int(m.group(1)), m.group(2).strip()
    try:
        row = await contacts.record_contact(session=ctx.session, school_id=ctx.school_id, case_id=case_id,
                                            how="home_visit", summary=text, viewer=_viewer(ctx),
                                            zone=ctx.settings.zone, now=ctx.now)
        name = ""
        if row.student_id is not None:
            student = await get_student(session=ctx.session, school_id=ctx.school_id, student_id=row.student_id)
            name = ST.FILE_LINKED_NOTE.format(name=student.name)
    except StudentError as err:
        return say(err.message + "\n" + ST.USAGE["家访"])
    return say(ST.CONTACT_DONE.format(id=case_id, name=name), f"案例 {case_id}")


async def _assess(ctx: Context, m: re.Match[str]) -> Result:
    case_id, level_word, rest = int(m.group(1)), m.group(2), m.group(3).strip()
    first, _, after = rest.partition(" ")
    try:
        level = assessments.parse_level(level_word)
        try:
            rec, reasons = assessments.parse_recommendation(first), after.strip()
        except StudentError:
            rec, reasons = assessments.DEFAULT_RECOMMENDATION[level], rest
        assert ctx.who is not None
        row = await assessments.record_assessment(session=ctx.session, school_id=ctx.school_id, case_id=case_id,
                                                  participants=[ctx.who.person.name], level=level,
                                                  recommendation=rec, reasons=reasons, viewer=_viewer(ctx),
                                                  now=ctx.now)
        referral = await referrals.open_from_assessment(session=ctx.session, school_id=ctx.school_id,
                                                        assessment=row, viewer=_viewer(ctx), now=ctx.now)
    except StudentError as err:
        return say(err.message + "\n" + ST.USAGE["评估"])
    follow = ST.ASSESS_NEXT_REFERRAL.format(id=case_id) if rec in ("referral", "crisis") else ST.ASSESS_NEXT_PLAN
    if referral is not None:
        follow = ST.REFERRAL_OPENED.format(referral=referral.id) + follow
    return say(ST.ASSESSED.format(id=case_id, level=assessments.LEVEL_NAMES[level],
                               rec=assessments.RECOMMENDATION_NAMES[rec], next=follow), f"案例 {case_id}")


async def _consent(ctx: Context, m: re.Match[str]) -> Result:
    case_id, who, how_word, note = int(m.group(1)), m.group(2), m.group(3), (m.group(4) or "").strip()
    viewer = _viewer(ctx)
    try:  # everything checked before the first row is written
        how = referrals.parse_how(how_word)
        case = await assessments.case_of(session=ctx.session, school_id=ctx.school_id, case_id=case_id)
        if case.student_id is None:
            raise StudentError("no_student", case_id=case_id)
        student = await get_student(session=ctx.session, school_id=ctx.school_id, student_id=case.student_id)
        guardian = await find_guardian(session=ctx.session, student_id=student.id, ref=who)
        if guardian is None:
            raise StudentError("no_guardian", name=student.name, ref=who[:20])
        viewer.require_file_access()
        consent = await referrals.record_consent(
            session=ctx.session, school_id=ctx.school_id, student_id=student.id, case_id=case_id,
            guardian_name=guardian.name, relation=guardian.relation, how=how, note=note, viewer=viewer, now=ctx.now)
        existing = [r for r in await referrals.referrals_of(session=ctx.session, student_id=student.id)
                    if r.case_id == case_id]
        referral = existing[-1] if existing else await referrals.open_referral(
            session=ctx.session, school_id=ctx.school_id, student_id=student.id, case_id=case_id, viewer=viewer,
            now=ctx.now)
        referral.consent_id = referral.consent_id or consent.id
    except StudentError as err:
        return say(err.message + "\n" + ST.USAGE["转介同意"])
    return say(ST.CONSENTED.format(guardian=guardian.name, relation=guardian.relation, how=referrals.HOW_NAMES[how],
                                id=case_id, referral=referral.id), f"案例 {case_id}")


async def _link(ctx: Context, m: re.Match[str]) -> Result:
    case_id, ref = int(m.group(1)), m.group(2)
    try:
        student = await resolve_student(session=ctx.session, school_id=ctx.school_id, ref=ref)
        await link_case(session=ctx.session, school_id=ctx.school_id, case_id=case_id, student_id=student.id,
                        viewer=_viewer(ctx), now=ctx.now)
        groups = await group_names(session=ctx.session, school_id=ctx.school_id)
    except StudentError as err:
        return say(err.message + "\n" + ST.USAGE["关联"])
    return say(ST.LINKED.format(id=case_id, label=label(student, groups)), f"案例 {case_id}")


async def _unlink(ctx: Context, m: re.Match[str]) -> Result:
    case_id = int(m.group(1))
    try:
        await unlink_case(session=ctx.session, school_id=ctx.school_id, case_id=case_id, viewer=_viewer(ctx),
                          now=ctx.now)
    except StudentError as err:
        return say(err.message)
    return say(ST.UNLINKED.format(id=case_id), f"案例 {case_id}")


async def _emergency(ctx: Context, m: re.Match[str]) -> Result:
    case_id, reason = int(m.group(1)), m.group(2).strip()
    viewer = _viewer(ctx)
    try:
        case = await assessments.case_of(session=ctx.session, school_id=ctx.school_id, case_id=case_id)
        if case.student_id is None:
            raise StudentError("no_student", case_id=case_id)
        existing = [r for r in await referrals.referrals_of(session=ctx.session, student_id=case.student_id)
                    if r.case_id == case_id and r.state == "planned"]
        referral = existing[-1] if existing else await referrals.open_referral(
            session=ctx.session, school_id=ctx.school_id, student_id=case.student_id, case_id=case_id,
            viewer=viewer, now=ctx.now)
        await referrals.mark_sent(session=ctx.session, school_id=ctx.school_id, referral_id=referral.id,
                                  viewer=viewer, zone=ctx.settings.zone, emergency_reason=reason, now=ctx.now)
    except StudentError as err:
        return say(err.message + "\n" + ST.USAGE["紧急转介"])
    return say(ST.EMERGENCY_SENT.format(id=case_id, referral=referral.id), f"案例 {case_id}")


async def _my_tasks(ctx: Context, _m: re.Match[str]) -> Result:
    if ctx.who is None:
        return say(ST.NO_TASKS)
    tasks = await plans.tasks_of(session=ctx.session, school_id=ctx.school_id, person=ctx.who.person)
    if not tasks:
        return say(ST.NO_TASKS)
    lines = [ST.MY_TASK_LINE.format(id=m.id, name=name, text=m.text, day=m.due_on.isoformat()) for m, name in tasks]
    return say(ST.MY_TASKS.format(lines="\n".join(lines)), *(f"完成措施 {m.id}" for m, _ in tasks[:3]))


async def _task_done(ctx: Context, m: re.Match[str]) -> Result:
    if ctx.who is None:
        return say(ST.NO_TASKS)
    try:
        row = await plans.mark_done(session=ctx.session, school_id=ctx.school_id, measure_id=int(m.group(1)),
                                    viewer=_viewer(ctx), now=ctx.now)
    except StudentError as err:
        return say(err.message)
    return say(ST.TASK_DONE.format(id=row.id), "我的措施")


async def overdue_line(ctx: Context) -> str:
    """What of the school's files is past its date, for 待处理 (empty when nothing is)."""
    late = await file_timeline.overdue(session=ctx.session, school_id=ctx.school_id,
                                       today=ctx.now.astimezone(ctx.settings.zone).date())
    if not late:
        return ""
    items = [ST.OVERDUE_ITEM.format(name=o.student_name, what=ST.OVERDUE_WHAT[o.kind], id=o.ref_id,
                                 day=f"{o.due_on:%m-%d}") for o in late[:5]]
    return ST.OVERDUE_HEAD.format(n=len(late)) + "、".join(items) + ("……" if len(late) > 5 else "")


async def _usage(ctx: Context, m: re.Match[str]) -> Result:
    return say(ST.USAGE[m.group(1)])


FLOW = Flow(
    name="student_file",
    commands=(
        Command(re.compile(r"^\s*家访\s*#?(\d{1,9})\s+(.+)$", re.S), _home_visit, staff_only=True),
        Command(re.compile(r"^\s*评估\s*#?(\d{1,9})\s+(\S+)\s+(.+)$", re.S), _assess, staff_only=True),
        Command(re.compile(r"^\s*转介同意\s*#?(\d{1,9})\s+(\S+)\s+(\S+)(?:\s+(.*))?$", re.S), _consent,
                staff_only=True),
        Command(re.compile(r"^\s*紧急转介\s*#?(\d{1,9})\s+(.+)$", re.S), _emergency, staff_only=True),
        Command(re.compile(r"^\s*关联\s*#?(\d{1,9})\s+(\S+(?:\s+\S+){0,2})\s*$"), _link, staff_only=True),
        Command(re.compile(r"^\s*取消关联\s*#?(\d{1,9})\s*$"), _unlink, staff_only=True),
        Command(re.compile(r"^\s*(家访|评估|转介同意|紧急转介|关联|取消关联)(?:\s.*)?$", re.S), _usage,
                staff_only=True),
        Command(re.compile(r"^\s*我的措施\s*$"), _my_tasks),
        Command(re.compile(r"^\s*完成措施\s*#?(\d{1,9})\s*$"), _task_done),
    ),
)
