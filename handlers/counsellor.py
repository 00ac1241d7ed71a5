"""Counsellor commands: 待处理, 收到, 回复 <code> <text>, 记录 <case> <text>, 跟进 <case> <date>, 结案 <case> <x>."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.db.models import Person, Report
from bot.services import abuse, escalation, mailbox, outbox, paging
from bot.services.cases import CaseError, acknowledge, add_note, close_case, open_cases
from bot.services.followups import follow_up_note, set_follow_up
from bot.services.mailbox import ThreadError
from bot.services.paging import LEVEL_NAMES, excerpt
from bot.services.people import group_name
from bot.services.schedule_text import day_text, parse_day
from handlers.base import Command, Context, Flow, Reply, Result, State
from handlers.mailbox import REPLY_PUSH

STAFF_ONLY = "只有心理老师和危机干预小组成员可以使用这个命令。"
NO_CASES = "目前没有待处理的案例。"
PENDING_HEAD = "待处理案例（按紧急程度）："
PENDING_LINE = "#{id} {level} · {status} · {where} · {excerpt}{follow_up}"
FOLLOW_UP_SET = "案例 #{id} 转为观察中，下次跟进：{day}。当天早上 8 点会提醒。"
HELD_NOTE = "另有 {n} 条提醒因平台限制（微信 48 小时）未能送达，成员下次发消息时会补发。"
FLAG_TEXTS = {
    abuse.NAMED: "⚠ {days} 天内 {notes} 封匿名信提到「{name}」：可能是恶作剧或针对，请核实",
    abuse.FALSE_REPORTER: "⚠ 报告人 {reporter} 已有 {false_reports} 次误报：请核实",
}
STATUS_NAMES = {"new": "未接手", "acknowledged": "已接手", "in_progress": "处理中", "monitoring": "观察中"}
ACKED = "已确认接手案例 #{id}。请尽快联系学生，处理进展可用「记录 {id} 内容」写下。"
ACKED_BY_OTHER = "案例 #{id} 已由 {name} 接手。"
NOTED = "已记录到案例 #{id}。"
CLOSED = "案例 #{id} 已结案（{outcome}）。"
REPLIED = "已回复匿名对话 {code}。"
REPLIED_NO_PUSH = "已回复匿名对话 {code}。学生选择了不接收通知，他们查看时会看到你的回复。"
ERRORS = {
    "unknown": "没有找到案例 #{id}。发送「待处理」查看案例列表。",
    "closed": "案例 #{id} 已经结案。",
    "outcome": "结案结果请写：resolved（已解决）、referred（已转介）、false_report（误报）或 duplicate（重复）。",
    "thread": "没有找到编号为 {code} 的匿名对话（可能已结束）。",
    "past": "跟进日期不能早于今天。",
    "date": "看不懂这个日期。请写 2026-12-03、12-03、明天 或 3天后。",
}
OUTCOME_WORDS = {
    "resolved": "resolved", "已解决": "resolved", "解决": "resolved",
    "referred": "referred", "已转介": "referred", "转介": "referred",
    "false_report": "false_report", "误报": "false_report",
    "duplicate": "duplicate", "重复": "duplicate",
}
OUTCOME_NAMES = {"resolved": "已解决", "referred": "已转介", "false_report": "误报", "duplicate": "重复"}


def _say(text: str) -> Result:
    return Result([Reply(text, ("待处理", "菜单"))], State.MENU)


async def pending(ctx: Context) -> Result:
    """Open cases, most urgent first."""
    if not ctx.handles_cases:
        return _say(STAFF_ONLY)
    cases = await open_cases(session=ctx.session, school_id=ctx.school_id)
    held = await outbox.count_held(session=ctx.session)
    if not cases:
        return _say(NO_CASES + ("\n" + HELD_NOTE.format(n=held) if held else ""))
    today = ctx.now.astimezone(ctx.settings.zone).date()
    lines = [PENDING_HEAD]
    flags = await abuse.flags_of(session=ctx.session, case_ids=[c.id for c in cases[:30]])
    for case in cases[:30]:
        report = (await ctx.session.execute(
            select(Report).where(Report.case_id == case.id).order_by(Report.id.desc()).limit(1)
        )).scalar_one_or_none()
        where = "匿名信箱" if case.source == "mailbox" else (
            await group_name(session=ctx.session, group_id=case.group_id)) + f"·{case.subject}"
        lines.append(PENDING_LINE.format(
            id=case.id, level=LEVEL_NAMES[case.level], status=STATUS_NAMES.get(case.status, case.status),
            where=where, excerpt=excerpt(report.text if report else "", 30) or "（无描述）",
            follow_up=(" · " + note) if (note := follow_up_note(case, today)) else "")
            + "".join(" · " + FLAG_TEXTS[e.kind].format(**e.detail) for e in flags.get(case.id, [])[-1:]))
    if held:
        lines.append(HELD_NOTE.format(n=held))
    options = tuple(f"收到 {c.id}" for c in cases if c.acknowledged_by_id is None)[:5]
    return Result([Reply("\n".join(lines), options + ("菜单",))], State.MENU)


async def _pending(ctx: Context, _m: re.Match[str]) -> Result:
    return await pending(ctx)


async def _ack(ctx: Context, m: re.Match[str]) -> Result:
    assert ctx.who is not None
    if m.group(1) is None:  # a bare 收到: the reply to the latest page this person got
        latest = await paging.latest_unacknowledged_page(session=ctx.session, person=ctx.who.person, now=ctx.now)
        if latest is None:
            return _say(USAGE["收到"])
        case_id = latest
    else:
        case_id = int(m.group(1))
    try:
        case, first = await acknowledge(session=ctx.session, case_id=case_id, person=ctx.who.person, now=ctx.now)
    except CaseError as err:
        return _say(ERRORS[err.reason].format(id=case_id))
    if not first:
        holder = await ctx.session.get(Person, case.acknowledged_by_id)
        return _say(ACKED_BY_OTHER.format(id=case_id, name=holder.name if holder else "其他老师"))
    await escalation.acknowledged(session=ctx.session, case=case, person=ctx.who.person, now=ctx.now)
    return _say(ACKED.format(id=case_id))


async def _reply(ctx: Context, m: re.Match[str]) -> Result:
    code, text = m.group(1).upper(), m.group(2).strip()
    assert ctx.who is not None
    try:
        thread = await mailbox.counsellor_reply(session=ctx.session, code=code, person=ctx.who.person, text=text,
                                                push_text=REPLY_PUSH, now=ctx.now)
    except ThreadError:
        return _say(ERRORS["thread"].format(code=code))
    return _say((REPLIED if thread.push_replies else REPLIED_NO_PUSH).format(code=code))


async def _note(ctx: Context, m: re.Match[str]) -> Result:
    case_id = int(m.group(1))
    assert ctx.who is not None
    try:
        await add_note(session=ctx.session, case_id=case_id, person=ctx.who.person, text=m.group(2).strip(),
                       now=ctx.now)
    except CaseError as err:
        return _say(ERRORS[err.reason].format(id=case_id))
    return _say(NOTED.format(id=case_id))


async def _close(ctx: Context, m: re.Match[str]) -> Result:
    case_id, word, text = int(m.group(1)), m.group(2), (m.group(3) or "").strip()
    outcome = OUTCOME_WORDS.get(word.lower(), "")
    assert ctx.who is not None
    try:
        case = await close_case(session=ctx.session, case_id=case_id, person=ctx.who.person, outcome=outcome,
                                text=text, now=ctx.now)
    except CaseError as err:
        return _say(ERRORS[err.reason].format(id=case_id))
    if outcome == "false_report":  # a member whose reports are often false is flagged, never blocked
        await abuse.after_false_report(session=ctx.session, case=case, now=ctx.now)
    await mailbox.close_thread_of_case(session=ctx.session, case_id=case_id, now=ctx.now)
    return _say(CLOSED.format(id=case_id, outcome=OUTCOME_NAMES[outcome]))


async def _follow_up(ctx: Context, m: re.Match[str]) -> Result:
    case_id = int(m.group(1))
    assert ctx.who is not None
    try:
        on = parse_day(m.group(2), ctx.now.astimezone(ctx.settings.zone).date())
    except ValueError:
        return _say(ERRORS["date"])
    try:
        await set_follow_up(session=ctx.session, case_id=case_id, person=ctx.who.person, on=on,
                            zone=ctx.settings.zone, now=ctx.now)
    except CaseError as err:
        return _say(ERRORS[err.reason].format(id=case_id))
    return _say(FOLLOW_UP_SET.format(id=case_id, day=day_text(on)))


async def _usage(ctx: Context, m: re.Match[str]) -> Result:
    return _say(USAGE[m.group(1)])


USAGE = {
    "收到": "用法：收到 <案例号>，例如「收到 12」。",
    "回复": "用法：回复 <编号> <内容>，例如「回复 K7M2QX9P 你好，我是心理老师……」。",
    "记录": "用法：记录 <案例号> <内容>，例如「记录 12 已与班主任沟通」。",
    "结案": "用法：结案 <案例号> <resolved|referred|false_report|duplicate> [说明]。",
    "跟进": "用法：跟进 <案例号> <日期>，例如「跟进 12 明天」或「跟进 12 12-03」。",
}

FLOW = Flow(
    name="counsellor",
    commands=(
        Command(re.compile(r"^\s*(待处理|/pending)\s*$"), _pending, staff_only=True),
        Command(re.compile(r"^\s*收到\s*(?:#?(\d{1,9}))?\s*[。！!.]?\s*$"), _ack, staff_only=True),
        Command(re.compile(r"^\s*回复\s+([A-Za-z0-9]{8})\s+(.+)$", re.S), _reply, staff_only=True),
        Command(re.compile(r"^\s*记录\s*#?(\d{1,9})\s+(.+)$", re.S), _note, staff_only=True),
        Command(re.compile(r"^\s*结案\s*#?(\d{1,9})\s+(\S+)(?:\s+(.*))?$", re.S), _close, staff_only=True),
        Command(re.compile(r"^\s*跟进\s*#?(\d{1,9})\s+(\S+)\s*$"), _follow_up, staff_only=True),
        Command(re.compile(r"^\s*(收到|回复|记录|结案|跟进)(?:\s.*)?$", re.S), _usage, staff_only=True),
    ),
)
