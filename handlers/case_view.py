"""What a counsellor reads in chat: 待处理 (the open cases), 案例 <id> (one case whole), 帮助 (the commands)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.db.models import Case, CaseEvent, Person, Report, Thread, ThreadMessage
from bot.events import Reply
from bot.services.crisis import abuse
from bot.services.crisis.cases import CaseError, get_case, open_cases
from bot.services.crisis.paging import LEVEL_NAMES, excerpt
from bot.services.messaging import outbox
from bot.services.schedule.followups import follow_up_note
from bot.services.schedule.workdays import UNANSWERED_WORKING_DAYS, waited_working_days
from bot.services.school.people import group_name
from handlers import student_file
from handlers.base import Context, Result, State
from handlers.bind import ROLE_NAMES
from handlers.case_words import event_text
from handlers.staff_text import STAFF_ONLY, STATUS_NAMES, ago, clock, say, split_text, zone_name
from handlers.student_text import HELP_FILE_STAFF, HELP_TASKS

NO_CASES = "目前没有待处理的案例。"
PENDING_HEAD = "待处理案例（按紧急程度）："
PENDING_LINE = "#{id} {level} · {status}{holder} · 已开 {open_for} · {where} · {excerpt}{extra}"
UNANSWERED = "⚠ 超过{n}个工作日未回复"
FLAG_TEXTS = {
    abuse.NAMED: "⚠ {days} 天内 {notes} 封匿名信提到「{name}」：可能是恶作剧或针对，请核实",
    abuse.FALSE_REPORTER: "⚠ 报告人 {reporter} 已有 {false_reports} 次误报：请核实",
}
HELD_NOTE = "另有 {n} 条提醒因平台限制（微信 48 小时）未能送达，成员下次发消息时会补发。"
NOT_FOUND = "没有找到案例 #{id}。发送「待处理」查看案例列表。"
HEAD = "案例 #{id} · {level} · {status}\n来源：{where}\n负责：{holder}\n开案：{opened}（{zone}）{extra}"
REPORTS_HEAD = "—— 报告与来信 ——"
NOTE_LINE = "[{n}] {at} 匿名来信（{level}）：\n{text}"
CONCERN_LINE = "[{n}] {at} {reporter}报告（{level}）：\n同学：{subject}\n情况：{signs}\n描述：{text}"
THREAD_HEAD = "—— 匿名对话 {code} ——"
THREAD_LINE = {"student": "{at} 【学生】{text}", "counsellor": "{at} 【老师】{text}", "bot": "{at} 【结案消息】{text}"}
EVENTS_HEAD = "—— 最近记录（{zone}） ——"
COMMANDS = "可用命令：{commands}"
LAST_EVENTS = 10
HELP_ANYONE = (
    "你可以：\n· 匿名心理信箱：写下想说的话，心理老师会看到并回复（不会知道你是谁）\n"
    "· 查看 <编号>：看老师的回复并继续对话\n· 求助热线：心理援助热线和紧急电话\n"
    "· 绑定 <邀请码>：心理委员或老师绑定身份\n"
    "· 取消：退出当前操作；菜单：回到主菜单"
)
HELP_MEMBER = "心理委员还可以：\n· 报告同学情况\n· 本周周报（无异常 / 有情况要报告）\n· 参加 / 请假：回复培训通知"
HELP_HEAD_TEACHER = ("班主任还可以：\n· 报告同学情况：本班学生的情况\n· 班级案例：和你共享的案例\n"
                     "· 我的跟进：你的跟进提醒")
HELP_STAFF = (
    "心理老师命令：\n· 待处理：未结案的案例\n· 案例 <案例号>：案例全部内容\n"
    "· 收到 <案例号>：确认接手（或直接回复「收到」）\n"
    "· 回复 <编号或案例号> <内容>：回复匿名学生\n· 查看 <编号>：看匿名对话\n· 记录 <案例号> <内容>：写处理记录\n"
    "· 跟进 <案例号> <日期>：约定跟进（明天、下周一、12/05）\n· 结案 <案例号> <已解决|已转介|误报|重复> [说明]"
)


async def _where(ctx: Context, case: Case, code: str | None) -> str:
    if case.source == "mailbox":
        return f"匿名信箱 编号 {code}" if code else "匿名信箱"
    return f"{await group_name(session=ctx.session, group_id=case.group_id)}·{case.subject}"


async def _code(ctx: Context, case_id: int) -> str | None:
    return (await ctx.session.execute(select(Thread.code).where(Thread.case_id == case_id))).scalar_one_or_none()


async def _name(ctx: Context, person_id: int | None) -> str:
    person = await ctx.session.get(Person, person_id) if person_id else None
    return person.name if person else "未接手"


def next_command(case: Case) -> str:
    """The button a case needs next."""
    return f"收到 {case.id}" if case.acknowledged_by_id is None else f"案例 {case.id}"


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
        return say(STAFF_ONLY)
    cases = await open_cases(session=ctx.session, school_id=ctx.school_id)
    held = await outbox.count_held(session=ctx.session)
    late = await student_file.overdue_line(ctx)  # issue 16: plan measures, reviews, referral feedback
    if not cases:
        return say(NO_CASES + ("\n" + HELD_NOTE.format(n=held) if held else "") + ("\n" + late if late else ""))
    today = ctx.now.astimezone(ctx.settings.zone).date()
    lines = [PENDING_HEAD]
    flags = await abuse.flags_of(session=ctx.session, case_ids=[c.id for c in cases[:30]])
    for case in cases[:30]:
        report = (await ctx.session.execute(
            select(Report).where(Report.case_id == case.id).order_by(Report.id.desc()).limit(1)
        )).scalar_one_or_none()
        code = await _code(ctx, case.id)
        extra = [note] if (note := follow_up_note(case, today)) else []
        if await _unanswered(ctx, case, code):
            extra.append(UNANSWERED.format(n=UNANSWERED_WORKING_DAYS))
        extra += [FLAG_TEXTS[e.kind].format(**e.detail) for e in flags.get(case.id, [])[-1:]]
        lines.append(PENDING_LINE.format(
            id=case.id, level=LEVEL_NAMES[case.level], status=STATUS_NAMES.get(case.status, case.status),
            holder=f"（{await _name(ctx, case.acknowledged_by_id)}）" if case.acknowledged_by_id else "",
            open_for=ago(case.created_at, ctx.now),
            where=await _where(ctx, case, code), excerpt=excerpt(report.text if report else "", 30) or "（无描述）",
            extra="".join(" · " + e for e in extra)))
    if held:
        lines.append(HELD_NOTE.format(n=held))
    if late:
        lines.append(late)
    options = tuple(next_command(c) for c in cases[:8])
    parts = split_text("\n".join(lines))
    return Result([Reply(p) for p in parts[:-1]] + [Reply(parts[-1], options + ("菜单",))], State.MENU)


async def _reports(ctx: Context, case: Case) -> list[str]:
    zone = ctx.settings.zone
    lines = [REPORTS_HEAD]
    reports = (await ctx.session.execute(
        select(Report).where(Report.case_id == case.id).order_by(Report.id))).scalars()
    for n, report in enumerate(reports, 1):
        if report.kind == "concern":
            reporter = await ctx.session.get(Person, report.reporter_id) if report.reporter_id else None
            who = ""
            if reporter is not None:
                roles = "、".join(ROLE_NAMES.get(r, r) for r in sorted(reporter.role_set))
                group = await group_name(session=ctx.session, group_id=reporter.group_id)
                who = f"{roles} {reporter.name}" + (f"（{group}）" if group else "")
            lines.append(CONCERN_LINE.format(n=n, at=clock(report.created_at, zone), reporter=who or "心理委员",
                                             level=LEVEL_NAMES[report.level], subject=report.subject or case.subject,
                                             signs="、".join(report.signs or []) or "（未选）",
                                             text=report.text or "（无）"))
        else:
            lines.append(NOTE_LINE.format(n=n, at=clock(report.created_at, zone), level=LEVEL_NAMES[report.level],
                                          text=report.text))
    return lines


async def show_case(ctx: Context, case_id: int) -> Result:
    """The case whole: every report and note in full, the holder, the code, the last events, the commands."""
    if not ctx.handles_cases:
        return say(STAFF_ONLY)
    try:
        case = await get_case(session=ctx.session, case_id=case_id)
    except CaseError:
        return say(NOT_FOUND.format(id=case_id))
    if case.school_id != ctx.school_id:
        return say(NOT_FOUND.format(id=case_id))
    zone = ctx.settings.zone
    code = await _code(ctx, case.id)
    holder = await _name(ctx, case.acknowledged_by_id)
    if case.acknowledged_at is not None:
        holder += f"（{clock(case.acknowledged_at, zone)} 接手）"
    extra = f"\n跟进：{note}" if (note := follow_up_note(case, ctx.now.astimezone(zone).date())) else ""
    lines = [HEAD.format(id=case.id, level=LEVEL_NAMES[case.level], status=STATUS_NAMES.get(case.status, case.status),
                         where=await _where(ctx, case, code), holder=holder, opened=clock(case.created_at, zone),
                         zone=zone_name(zone), extra=extra)]
    lines += await _reports(ctx, case)
    if code is not None:
        lines.append(THREAD_HEAD.format(code=code))
        msgs = (await ctx.session.execute(select(ThreadMessage).join(Thread, Thread.id == ThreadMessage.thread_id)
                                          .where(Thread.case_id == case.id).order_by(ThreadMessage.id))).scalars()
        lines += [THREAD_LINE.get(m.author, THREAD_LINE["student"]).format(at=clock(m.created_at, zone), text=m.text)
                  for m in msgs]
    events = list((await ctx.session.execute(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                             .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
                                             .limit(LAST_EVENTS))).scalars())[::-1]
    names = {p.id: p.name for p in (await ctx.session.execute(select(Person).where(
        Person.id.in_({e.actor_id for e in events if e.actor_id})))).scalars()}
    lines.append(EVENTS_HEAD.format(zone=zone_name(zone)))
    lines += [f"{clock(e.at, zone)} {event_text(e, names)}" for e in events]
    buttons = _buttons(case, code)
    parts = split_text("\n".join(lines))
    return Result([Reply(p) for p in parts[:-1]] + [Reply(parts[-1], buttons + ("待处理",))], State.MENU)


def _buttons(case: Case, code: str | None) -> tuple[str, ...]:
    if case.status == "closed":
        return ()
    buttons = [f"收到 {case.id}"] if case.acknowledged_by_id is None else []
    if code is not None:
        buttons.append(f"查看 {code}")
    buttons += [f"跟进 {case.id}", f"结案 {case.id}"]
    return tuple(buttons)


def help_text(ctx: Context) -> Result:
    """The commands for the sender's role."""
    parts = [HELP_ANYONE]
    options: tuple[str, ...] = ("匿名心理信箱", "求助热线")
    if ctx.is_member:
        parts.append(HELP_MEMBER)
        options = ("报告同学情况", "本周周报") + options
    if "head_teacher" in ctx.roles:
        parts.append(HELP_HEAD_TEACHER + "\n" + HELP_TASKS)
        options = ("报告同学情况", "班级案例") + options
    if ctx.handles_cases:
        parts.append(HELP_STAFF)
        parts.append(HELP_FILE_STAFF)
        options = ("待处理",) + options
    return Result([Reply("\n\n".join(parts), options + ("菜单",))], State.MENU)


async def _pending_command(ctx: Context, _m: re.Match[str]) -> Result:
    return await pending(ctx)


async def _case_command(ctx: Context, m: re.Match[str]) -> Result:
    return await show_case(ctx, int(m.group(1)))


async def _help_command(ctx: Context, _m: re.Match[str]) -> Result:
    return help_text(ctx)
