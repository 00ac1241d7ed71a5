"""Counsellor commands: 收到, 回复 <code|case> <text>, 记录, 跟进 <case> <date>, 结案 <case> <outcome>, the views."""

from __future__ import annotations

import re

from bot.db.models import Person
from bot.services.crisis import casework, mailbox, paging
from bot.services.crisis.cases import CaseError, add_note
from bot.services.crisis.closing import ClosingTexts
from bot.services.crisis.mailbox import ThreadError
from bot.services.schedule.followups import set_follow_up
from bot.services.schedule.periods import holiday_on
from bot.services.schedule.schedule_text import day_text, parse_day
from handlers import case_view
from handlers.base import Command, Context, Flow, Result
from handlers.crisis import closing_text
from handlers.mailbox import REPLY_PUSH
from handlers.staff_text import OUTCOME_LIST, OUTCOME_NAMES, OUTCOME_WORDS, STAFF_ONLY, USAGE, say

FOLLOW_UP_SET = "案例 #{id} 转为观察中，下次跟进：{day}。当天早上 8 点会提醒。"
FOLLOW_UP_CONFIRM = "{day}是{why}，确定在这天跟进吗？"
ACKED = "已确认接手案例 #{id}。请尽快联系学生，处理进展可用「记录 {id} 内容」写下。"
ACKED_THREAD = "这是匿名来信，对话编号 {code}：回复学生请用「回复 {code} 内容」或「回复 {id} 内容」。"
ACKED_BY_OTHER = "案例 #{id} 已由 {name} 接手。"
NOTED = "已记录到案例 #{id}。"
CLOSED = "案例 #{id} 已结案（{outcome}）。"
CLOSED_TOLD = "已在匿名对话 {code} 里给学生留下结案消息（附求助资源；7天内仍可用同一编号继续写）。"
CLOSED_UNACKED = "注意：案例 #{id} 结案时还没有人确认接手。已告诉收到预警的 {n} 位老师：由你结案。"
CLOSED_FOLLOW_UPS = "已取消这个案例的跟进提醒。"
REPORTER_THANKS = "你之前报告的同学情况已由心理老师处理，谢谢你。之后再发现情况，随时可以报告。"
PAGED_CLOSED = "案例 #{case_id} 已由 {name} 结案（{outcome}），无需再处理此预警。"
PICK_OUTCOME = (f"请选择案例 #{{id}} 的结案结果（{OUTCOME_LIST}），"
                "也可以在后面写说明，例如「结案 {id} 已解决 已与家长沟通」。")
PICK_DAY = "请写跟进日期，例如「跟进 {id} 明天」「跟进 {id} 下周一」「跟进 {id} 12/05」。"
REPLIED = "已回复匿名对话 {code}（案例 #{case_id}）。"
REPLIED_NO_PUSH = "已回复匿名对话 {code}（案例 #{case_id}）。学生选择了不接收通知，他们查看时会看到你的回复。"
ERRORS = {
    "unknown": "没有找到案例 #{id}。发送「待处理」查看案例列表。",
    "closed": "案例 #{id} 已经结案。",
    "outcome": f"结案结果请写：{OUTCOME_LIST}（也可以写 resolved、referred、false_report、duplicate）。",
    "thread": "没有找到编号为 {code} 的匿名对话（可能已结束）。",
    "no_thread": "案例 #{id} 不是匿名来信，没有可以回复的对话。",
    "past": "跟进日期不能早于今天。",
    "date": "看不懂这个日期。请写 明天、下周一、12/05、12-05 或 2026-12-05。",
}


async def _ack(ctx: Context, m: re.Match[str]) -> Result:
    assert ctx.who is not None
    if m.group(1) is None:  # a bare 收到: the reply to the latest page this person got
        latest = await paging.latest_unacknowledged_page(session=ctx.session, person=ctx.who.person, now=ctx.now)
        if latest is None:
            return say(USAGE["收到"])
        case_id = latest
    else:
        case_id = int(m.group(1))
    try:
        case, first = await casework.take(session=ctx.session, case_id=case_id, person=ctx.who.person, now=ctx.now)
    except CaseError as err:
        return say(ERRORS[err.reason].format(id=case_id))
    if not first:
        holder = await ctx.session.get(Person, case.acknowledged_by_id)
        return say(ACKED_BY_OTHER.format(id=case_id, name=holder.name if holder else "其他老师"), f"案例 {case_id}")
    thread = await mailbox.thread_for_case(session=ctx.session, case_id=case_id)
    text = ACKED.format(id=case_id)
    if thread is not None:
        text += "\n" + ACKED_THREAD.format(code=thread.code, id=case_id)
    return say(text, f"案例 {case_id}")


async def _reply(ctx: Context, m: re.Match[str]) -> Result:
    """`回复 <code> <text>` or `回复 <case id> <text>`."""
    handle, text = m.group(1).upper(), m.group(2).strip()
    assert ctx.who is not None
    code = handle
    if handle.isdigit() and not (len(handle) == 8 and await _is_code(ctx, handle)):
        thread = await mailbox.thread_for_case(session=ctx.session, case_id=int(handle))
        if thread is None:
            return say(ERRORS["no_thread"].format(id=int(handle)))
        code = thread.code
    try:
        thread = await mailbox.counsellor_reply(session=ctx.session, code=code, person=ctx.who.person, text=text,
                                                push_text=REPLY_PUSH, now=ctx.now)
    except ThreadError:
        return say(ERRORS["thread"].format(code=code))
    done = REPLIED if thread.push_replies else REPLIED_NO_PUSH
    return say(done.format(code=code, case_id=thread.case_id), f"案例 {thread.case_id}")


async def _is_code(ctx: Context, handle: str) -> bool:
    try:
        await mailbox.find_thread(session=ctx.session, code=handle, now=ctx.now)
    except ThreadError:
        return False
    return True


async def _note(ctx: Context, m: re.Match[str]) -> Result:
    case_id = int(m.group(1))
    assert ctx.who is not None
    try:
        await add_note(session=ctx.session, case_id=case_id, person=ctx.who.person, text=m.group(2).strip(),
                       now=ctx.now)
    except CaseError as err:
        return say(ERRORS[err.reason].format(id=case_id))
    return say(NOTED.format(id=case_id), f"案例 {case_id}")


async def _close(ctx: Context, m: re.Match[str]) -> Result:
    case_id, word, text = int(m.group(1)), m.group(2), (m.group(3) or "").strip()
    if word is None:
        return say(PICK_OUTCOME.format(id=case_id), *(f"结案 {case_id} {name}" for name in OUTCOME_NAMES.values()))
    outcome = OUTCOME_WORDS.get(word.lower(), "")
    assert ctx.who is not None
    texts = ClosingTexts(student=closing_text(ctx.settings), reporter=REPORTER_THANKS, paged=PAGED_CLOSED)
    try:
        closed = await casework.close(session=ctx.session, case_id=case_id, person=ctx.who.person, outcome=outcome,
                                      outcome_name=OUTCOME_NAMES.get(outcome, ""), texts=texts, text=text,
                                      now=ctx.now)
    except CaseError as err:
        return say(ERRORS[err.reason].format(id=case_id))
    lines = [CLOSED.format(id=case_id, outcome=OUTCOME_NAMES[outcome])]
    if closed.unacknowledged:
        lines.append(CLOSED_UNACKED.format(id=case_id, n=closed.paged_told))
    if closed.thread_code:
        lines.append(CLOSED_TOLD.format(code=closed.thread_code))
    if closed.follow_ups_cancelled:
        lines.append(CLOSED_FOLLOW_UPS)
    return say("\n".join(lines))


async def _follow_up(ctx: Context, m: re.Match[str]) -> Result:
    case_id, day, confirmed = int(m.group(1)), m.group(2), m.group(3) is not None
    assert ctx.who is not None
    if day is None:
        return say(PICK_DAY.format(id=case_id), f"跟进 {case_id} 明天", f"跟进 {case_id} 下周一")
    try:
        on = parse_day(day, ctx.now.astimezone(ctx.settings.zone).date())
    except ValueError:
        return say(ERRORS["date"])
    why = "周末" if on.weekday() >= 5 else await holiday_on(session=ctx.session, school_id=ctx.school_id, day=on)
    if why and not confirmed:
        return say(FOLLOW_UP_CONFIRM.format(day=day_text(on), why=why),
                   f"跟进 {case_id} {on.isoformat()} 确认", f"跟进 {case_id} 下周一")
    try:
        await set_follow_up(session=ctx.session, case_id=case_id, person=ctx.who.person, on=on,
                            zone=ctx.settings.zone, now=ctx.now)
    except CaseError as err:
        return say(ERRORS[err.reason].format(id=case_id))
    return say(FOLLOW_UP_SET.format(id=case_id, day=day_text(on)), f"案例 {case_id}")


async def _usage(ctx: Context, m: re.Match[str]) -> Result:
    return say(USAGE[m.group(1)])


async def _refuse(ctx: Context, _m: re.Match[str]) -> Result:
    return say(STAFF_ONLY)


FLOW = Flow(
    name="counsellor",
    commands=(
        Command(re.compile(r"^\s*(帮助|/help|help|\?|？)\s*$", re.I), case_view._help_command),
        Command(re.compile(r"^\s*(待处理|/pending)\s*$"), case_view._pending_command, staff_only=True),
        Command(re.compile(r"^\s*案例\s*#?(\d{1,9})\s*$"), case_view._case_command, staff_only=True),
        Command(re.compile(r"^\s*收到\s*(?:#?(\d{1,9}))?\s*[。！!.]?\s*$"), _ack, staff_only=True),
        Command(re.compile(r"^\s*回复\s*#?([A-Za-z0-9]{1,9})\s+(.+)$", re.S), _reply, staff_only=True),
        Command(re.compile(r"^\s*记录\s*#?(\d{1,9})\s+(.+)$", re.S), _note, staff_only=True),
        Command(re.compile(r"^\s*结案\s*#?(\d{1,9})(?:\s+(\S+)(?:\s+(.*))?)?\s*$", re.S), _close, staff_only=True),
        Command(re.compile(r"^\s*跟进\s*#?(\d{1,9})(?:\s+(\S+)(?:\s+(确认))?)?\s*$"), _follow_up, staff_only=True),
        Command(re.compile(r"^\s*(收到|回复|记录|结案|跟进|案例)(?:\s.*)?$", re.S), _usage, staff_only=True),
    ),
)
