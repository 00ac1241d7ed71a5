"""What a counsellor reads in chat: 待处理 (the open cases), 案例 <id> (one case whole), 帮助 (the commands)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.db.models import Case, CaseEvent, Person, Report, Thread, ThreadMessage
from bot.events import Reply
from bot.services.crisis import abuse
from bot.services.crisis.cases import CaseError, get_case, open_cases
from bot.services.crisis.paging import excerpt
from bot.services.messaging import outbox
from bot.services.schedule.followups import follow_up_note
from bot.services.schedule.workdays import UNANSWERED_WORKING_DAYS, waited_working_days
from bot.services.school.people import group_name
from bot.texts import bind as bind_texts
from bot.texts import cases as T
from bot.texts import counsellor as counsellor_texts
from bot.texts import paging as paging_texts
from bot.texts import student_chat as ST
from bot.texts.cases import OPT_CASES
from bot.texts.counsellor import OPT_ACK, OPT_CASE, OPT_CLOSE, OPT_FOLLOW_UP, OPT_PENDING, button
from bot.texts.mailbox import view_button
from bot.texts.menu import OPT_CHECKIN, OPT_HOTLINE, OPT_MAILBOX, OPT_MENU, OPT_REPORT
from handlers import student_file
from handlers.base import Context, Result, State
from handlers.case_words import event_text
from handlers.staff_text import ago, clock, say, split_text, zone_name

LAST_EVENTS = 10


async def _where(ctx: Context, case: Case, code: str | None) -> str:
    if case.source == "mailbox":
        return T.WHERE_NOTE.format(code=code) if code else T.WHERE_MAILBOX
    group = await group_name(session=ctx.session, group_id=case.group_id)
    return T.WHERE_GROUP.format(group=group, subject=case.subject)


async def _code(ctx: Context, case_id: int) -> str | None:
    return (await ctx.session.execute(select(Thread.code).where(Thread.case_id == case_id))).scalar_one_or_none()


async def _name(ctx: Context, person_id: int | None) -> str:
    person = await ctx.session.get(Person, person_id) if person_id else None
    return person.name if person else T.NOBODY


def next_command(case: Case) -> str:
    """The button a case needs next."""
    return button(OPT_ACK, case.id) if case.acknowledged_by_id is None else button(OPT_CASE, case.id)


async def _unanswered(ctx: Context, case: Case, code: str | None) -> bool:
    """A yellow note nobody has answered for too many working days."""
    if case.level != "yellow" or case.source != "mailbox" or code is None:
        return False
    if waited_working_days(case.created_at, ctx.now, ctx.settings.zone) < UNANSWERED_WORKING_DAYS:
        return False
    replies = (await ctx.session.execute(select(func.count(ThreadMessage.id)).join(
        Thread, Thread.id == ThreadMessage.thread_id).where(
        Thread.case_id == case.id, ThreadMessage.author == "counsellor"))).scalar_one()
    return replies == 0


async def pending(ctx: Context) -> Result:
    """Open cases, most urgent first: holder, time open, thread code, and the next command as a button."""
    if not ctx.handles_cases:
        return say(counsellor_texts.STAFF_ONLY)
    cases = await open_cases(session=ctx.session, school_id=ctx.school_id)
    held = await outbox.count_held(session=ctx.session)
    late = await student_file.overdue_line(ctx)  # issue 16: plan measures, reviews, referral feedback
    if not cases:
        return say(T.NO_CASES + ("\n" + T.HELD_NOTE.format(n=held) if held else "") + ("\n" + late if late else ""))
    today = ctx.now.astimezone(ctx.settings.zone).date()
    lines = [T.PENDING_HEAD]
    flags = await abuse.flags_of(session=ctx.session, case_ids=[c.id for c in cases[:30]])
    for case in cases[:30]:
        report = (await ctx.session.execute(
            select(Report).where(Report.case_id == case.id).order_by(Report.id.desc()).limit(1)
        )).scalar_one_or_none()
        code = await _code(ctx, case.id)
        extra = [note] if (note := follow_up_note(case, today)) else []
        if await _unanswered(ctx, case, code):
            extra.append(T.UNANSWERED.format(n=UNANSWERED_WORKING_DAYS))
        extra += [T.FLAG_TEXTS[e.kind].format(**e.detail) for e in flags.get(case.id, [])[-1:]]
        lines.append(T.PENDING_LINE.format(
            id=case.id, level=paging_texts.LEVEL_NAMES[case.level],
            status=counsellor_texts.STATUS_NAMES.get(case.status, case.status),
            holder=T.HOLDER.format(name=await _name(ctx, case.acknowledged_by_id)) if case.acknowledged_by_id else "",
            open_for=ago(case.created_at, ctx.now),
            where=await _where(ctx, case, code), excerpt=excerpt(report.text if report else "", 30) or T.NO_EXCERPT,
            extra="".join(" · " + e for e in extra)))
    if held:
        lines.append(T.HELD_NOTE.format(n=held))
    if late:
        lines.append(late)
    options = tuple(next_command(c) for c in cases[:8])
    parts = split_text("\n".join(lines))
    return Result([Reply(p) for p in parts[:-1]] + [Reply(parts[-1], options + (OPT_MENU,))], State.MENU)


async def _reports(ctx: Context, case: Case) -> list[str]:
    zone = ctx.settings.zone
    lines = [T.REPORTS_HEAD]
    reports = (await ctx.session.execute(
        select(Report).where(Report.case_id == case.id).order_by(Report.id))).scalars()
    for n, report in enumerate(reports, 1):
        if report.kind == "concern":
            reporter = await ctx.session.get(Person, report.reporter_id) if report.reporter_id else None
            who = ""
            if reporter is not None:
                roles = "、".join(bind_texts.ROLE_NAMES.get(r, r) for r in sorted(reporter.role_set))
                group = await group_name(session=ctx.session, group_id=reporter.group_id)
                who = f"{roles} {reporter.name}" + (f"（{group}）" if group else "")
            lines.append(T.CONCERN_LINE.format(n=n, at=clock(report.created_at, zone), reporter=who or T.A_MEMBER,
                                               level=paging_texts.LEVEL_NAMES[report.level],
                                               subject=report.subject or case.subject,
                                               signs="、".join(report.signs or []) or T.NO_SIGNS,
                                               text=report.text or T.NO_TEXT))
        else:
            lines.append(T.NOTE_LINE.format(n=n, at=clock(report.created_at, zone),
                                            level=paging_texts.LEVEL_NAMES[report.level], text=report.text))
    return lines


async def show_case(ctx: Context, case_id: int) -> Result:
    """The case whole: every report and note in full, the holder, the code, the last events, the commands."""
    if not ctx.handles_cases:
        return say(counsellor_texts.STAFF_ONLY)
    try:
        case = await get_case(session=ctx.session, case_id=case_id)
    except CaseError:
        return say(T.NOT_FOUND.format(id=case_id))
    if case.school_id != ctx.school_id:
        return say(T.NOT_FOUND.format(id=case_id))
    zone = ctx.settings.zone
    code = await _code(ctx, case.id)
    holder = await _name(ctx, case.acknowledged_by_id)
    if case.acknowledged_at is not None:
        holder += T.HOLDER_SINCE.format(at=clock(case.acknowledged_at, zone))
    note = follow_up_note(case, ctx.now.astimezone(zone).date())
    extra = T.FOLLOW_UP_LINE.format(note=note) if note else ""
    lines = [T.HEAD.format(id=case.id, level=paging_texts.LEVEL_NAMES[case.level],
                           status=counsellor_texts.STATUS_NAMES.get(case.status, case.status),
                         where=await _where(ctx, case, code), holder=holder, opened=clock(case.created_at, zone),
                         zone=zone_name(zone), extra=extra)]
    lines += await _reports(ctx, case)
    if code is not None:
        lines.append(T.THREAD_HEAD.format(code=code))
        msgs = (await ctx.session.execute(select(ThreadMessage).join(Thread, Thread.id == ThreadMessage.thread_id)
                                          .where(Thread.case_id == case.id).order_by(ThreadMessage.id))).scalars()
        lines += [T.THREAD_LINE.get(m.author, T.THREAD_LINE["student"]).format(at=clock(m.created_at, zone),
                                                                             text=m.text) for m in msgs]
    events = list((await ctx.session.execute(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                             .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
                                             .limit(LAST_EVENTS))).scalars())[::-1]
    names = {p.id: p.name for p in (await ctx.session.execute(select(Person).where(
        Person.id.in_({e.actor_id for e in events if e.actor_id})))).scalars()}
    lines.append(T.EVENTS_HEAD.format(zone=zone_name(zone)))
    lines += [f"{clock(e.at, zone)} {event_text(e, names)}" for e in events]
    buttons = _buttons(case, code)
    parts = split_text("\n".join(lines))
    return Result([Reply(p) for p in parts[:-1]] + [Reply(parts[-1], buttons + (OPT_PENDING,))], State.MENU)


def _buttons(case: Case, code: str | None) -> tuple[str, ...]:
    if case.status == "closed":
        return ()
    buttons = [button(OPT_ACK, case.id)] if case.acknowledged_by_id is None else []
    if code is not None:
        buttons.append(view_button(code))
    buttons += [button(OPT_FOLLOW_UP, case.id), button(OPT_CLOSE, case.id)]
    return tuple(buttons)


def help_text(ctx: Context) -> Result:
    """The commands for the sender's role."""
    parts = [T.HELP_ANYONE]
    options: tuple[str, ...] = (OPT_MAILBOX, OPT_HOTLINE)
    if ctx.is_member:
        parts.append(T.HELP_MEMBER)
        options = (OPT_REPORT, OPT_CHECKIN) + options
    if "head_teacher" in ctx.roles:
        parts.append(T.HELP_HEAD_TEACHER + "\n" + ST.HELP_TASKS)
        options = (OPT_REPORT, OPT_CASES) + options
    if ctx.handles_cases:
        parts.append(T.HELP_STAFF)
        parts.append(ST.HELP_FILE_STAFF)
        options = (OPT_PENDING,) + options
    return Result([Reply("\n\n".join(parts), options + (OPT_MENU,))], State.MENU)


async def _pending_command(ctx: Context, _m: re.Match[str]) -> Result:
    return await pending(ctx)


async def _case_command(ctx: Context, m: re.Match[str]) -> Result:
    return await show_case(ctx, int(m.group(1)))


async def _help_command(ctx: Context, _m: re.Match[str]) -> Result:
    return help_text(ctx)
