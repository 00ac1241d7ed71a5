"""The anonymous mailbox: write a note, get a thread code, read replies and answer with `查看 <code>`."""

from __future__ import annotations

import re

from bot.db.models import Case
from bot.events import Reply
from bot.services.crisis import mailbox
from bot.services.crisis.mailbox import ThreadError
from bot.services.messaging import ratelimit
from handlers import guessing
from handlers.base import Command, Context, Flow, NoteThread, Result, State
from handlers.crisis import file_as_note, file_in_thread, fill
from handlers.student_text import OPT_DISCLOSE

ASK_NOTE = (
    "这里是匿名心理信箱。信箱不会记录你是谁，心理老师只会看到一个编号。"
    "请把想说的话写下来，一次发送即可（2000字以内）。如果你现在有危险，请马上拨打{emergency}。"
)
EMPTY = "好像没有收到文字，请把想说的话写下来再发送。回复「取消」返回。"
TOO_LONG = "内容有点长，请精简到2000字以内，或分几次写。回复「取消」返回。"
RATE_LIMITED = "今天的匿名信已经很多了，请明天再写。如果你现在有危险，请拨打{emergency}或心理援助热线{hotline}。"
RECEIVED = (
    "信已收到，谢谢你愿意写下来。你的编号是 {code}，请记好它：发送「查看 {code}」可以看到心理老师的回复，"
    "并继续和老师对话。老师一般会在工作日内回复。老师回复时需要通知你吗？"
)
OPT_PUSH, OPT_NO_PUSH = "回复时通知我", "不用通知，我自己查看"
KEPT_PUSH = "这段话也已经放进你的匿名对话（编号 {code}），老师会一起看到。老师回复时需要通知你吗？"
PUSH_ON = "好的，老师回复时会通知你。也可以随时发送「查看 {code}」。"
PUSH_OFF = "好的，不会推送通知。请随时发送「查看 {code}」查看老师的回复。"
NO_THREAD = "没有找到编号为 {code} 的对话，请检查编号是否正确（对话结束7天后编号会失效）。"
THREAD_VIEW = "编号 {code} 的对话：\n{lines}\n\n直接输入文字即可回复老师；回复「菜单」返回。"
LINE = {"student": "【你】{text}", "counsellor": "【心理老师】{text}", "bot": "【心桥】{text}"}
STAFF_VIEW = "匿名对话 {code}（案例 #{case_id}）：\n{lines}\n\n回复学生：回复 {code} <内容>"
STAFF_LINE = {"student": "【学生】{text}", "counsellor": "【老师】{text}", "bot": "【结案消息】{text}"}
NO_REPLY_YET = "（老师还没有回复，请耐心等待。）"
REPLY_PUSH = "心理老师回复了你（编号 {code}）：\n{text}\n\n发送「查看 {code}」可以继续对话。"
OFFER = "听起来你最近不太好受，谢谢你说出来。要把刚才这段话放进匿名心理信箱，让心理老师看到并回复你吗？"
WARM = (
    "我在这里，谢谢你愿意说。我可以帮你把这段话放进匿名心理信箱，心理老师会看到并回复你（不会知道你是谁）；"
    "想直接找人聊，可以打心理援助热线，或者找学校的心理老师。要把刚才这段话放进匿名信箱吗？"
)
KEPT = "我记下了，你写的这几段话都会在一起。要把它们放进匿名心理信箱，让心理老师看到并回复你吗？"
OPT_OFFER_YES, OPT_OFFER_NO = "放进匿名信箱", "不用了"
OFFER_OPTIONS = (OPT_OFFER_YES, "求助热线", OPT_OFFER_NO)
OFFER_DECLINED = "好的。想说的时候随时可以找我，也可以拨打心理援助热线。"
MAX_NOTE = 2000


def offer(ctx: Context) -> Result:
    """Free text at the menu: offer to file it as a note (warmly when it does not sound like distress)."""
    text = OFFER if ctx.verdict.level == "yellow" else WARM
    return Result([Reply(text, OFFER_OPTIONS)], State.MAILBOX_OFFER, {"pending": ctx.text.strip()})


async def offer_step(ctx: Context) -> Result:
    """File what the student wrote (all of it), keep further text with it, or let it go when they say so."""
    choice = ctx.text.strip()
    pending = str(ctx.data.get("pending", ""))
    if choice == OPT_OFFER_NO:
        return Result([Reply(OFFER_DECLINED, ("求助热线", "菜单"))], State.MENU)
    if choice == OPT_OFFER_YES:
        if not pending:
            return start(ctx)
        ctx.text, ctx.verdict = pending, ctx.triage(pending)
        return await note_step(ctx)
    if not choice:
        return Result([Reply(KEPT, OFFER_OPTIONS)], State.MAILBOX_OFFER, ctx.data)
    combined = f"{pending}\n{choice}" if pending else choice
    if ctx.verdict.urgent:  # urgent text files everything at once
        ctx.text = combined
        return await file_as_note(ctx)
    return Result([Reply(KEPT, OFFER_OPTIONS)], State.MAILBOX_OFFER, {"pending": combined[-4 * MAX_NOTE:]})


def start(ctx: Context) -> Result:
    """Ask for the note."""
    return Result([Reply(fill(ASK_NOTE, ctx.settings), ("取消",))], State.MAILBOX_TEXT)


async def note_step(ctx: Context) -> Result:
    """File the note (urgent ones whatever their length, and never rate-limited)."""
    text = ctx.text.strip()
    if not ctx.verdict.urgent:
        if not text:
            return Result([Reply(EMPTY, ("取消",))], State.MAILBOX_TEXT)
        if len(text) > MAX_NOTE:
            return Result([Reply(TOO_LONG, ("取消",))], State.MAILBOX_TEXT)
        allowed = await ratelimit.allow(session=ctx.session, sealer=ctx.sealer, channel=ctx.inbound.channel,
                                        external_id=ctx.inbound.sender, limit=ctx.settings.mailbox_daily_limit,
                                        now=ctx.now, zone=ctx.settings.zone)
        if not allowed:
            return Result([Reply(fill(RATE_LIMITED, ctx.settings), ("菜单",))], State.MENU)
    result = await file_as_note(ctx)
    if result.replies:
        return result
    code = result.data["thread"]
    return Result([Reply(RECEIVED.format(code=code), (OPT_PUSH, OPT_NO_PUSH))], State.MAILBOX_PUSH, {"thread": code},
                  note_thread=result.note_thread)


async def push_step(ctx: Context) -> Result:
    """Whether replies are pushed; more text meanwhile joins the thread and the choice is asked again."""
    code = ctx.data.get("thread", "")
    choice = ctx.text.strip()
    if choice not in (OPT_PUSH, OPT_NO_PUSH):
        if not choice:
            return Result([Reply(RECEIVED.format(code=code), (OPT_PUSH, OPT_NO_PUSH))], State.MAILBOX_PUSH, ctx.data)
        result = await file_in_thread(ctx, code)
        if result.crisis_level or result.data.get("thread") != code:
            return result
        result.replies = [Reply(KEPT_PUSH.format(code=code), (OPT_PUSH, OPT_NO_PUSH))]
        result.state, result.data = State.MAILBOX_PUSH, {"thread": code}
        return result
    try:
        thread = await mailbox.find_thread(session=ctx.session, code=code, now=ctx.now)
    except ThreadError:
        return Result([Reply(NO_THREAD.format(code=code), ("菜单",))], State.MENU, forget_thread=True)
    await mailbox.set_push(session=ctx.session, thread=thread, push=choice == OPT_PUSH)
    text = PUSH_ON if choice == OPT_PUSH else PUSH_OFF
    return Result([Reply(text.format(code=code), (f"查看 {code}", "菜单"))], State.MENU)


async def _view(ctx: Context, m: re.Match[str]) -> Result:
    code = m.group(1).upper()
    wait = await guessing.refused(ctx, "thread")
    if wait is not None:
        return wait
    try:
        thread = await mailbox.find_thread(session=ctx.session, code=code, now=ctx.now)
    except ThreadError:
        await guessing.failed(ctx, "thread")
        return Result([Reply(NO_THREAD.format(code=code), ("菜单",))], State.MENU)
    msgs = await mailbox.messages(session=ctx.session, thread=thread)
    if ctx.handles_cases:  # the counsellor's side: never the student's seat
        case = await ctx.session.get(Case, thread.case_id)
        if case is None or case.school_id != ctx.school_id:
            return Result([Reply(NO_THREAD.format(code=code), ("菜单",))], State.MENU)
        lines = [STAFF_LINE[msg.author].format(text=msg.text) for msg in msgs]
        text = STAFF_VIEW.format(code=code, case_id=case.id, lines="\n".join(lines))
        return Result([Reply(text, (f"案例 {case.id}", "待处理"))], State.MENU, forget_thread=True)
    lines = [LINE[msg.author].format(text=msg.text) for msg in msgs]
    if not any(msg.author == "counsellor" for msg in msgs):
        lines.append(NO_REPLY_YET)
    text = THREAD_VIEW.format(code=code, lines="\n".join(lines))
    return Result([Reply(text, ("菜单", OPT_DISCLOSE))], State.THREAD_ANSWER, {"thread": code},
                  note_thread=NoteThread(code))


async def answer_step(ctx: Context) -> Result:
    """The student writes in the thread: stored, triaged, the counsellor told; urgent text pages."""
    code = ctx.data.get("thread", "") or (ctx.note_thread.code if ctx.note_thread else "")
    text = ctx.text.strip()
    if not text:
        return Result([Reply(EMPTY, ("菜单",))], State.THREAD_ANSWER, ctx.data)
    if len(text) > MAX_NOTE and not ctx.verdict.urgent:
        return Result([Reply(TOO_LONG, ("菜单",))], State.THREAD_ANSWER, ctx.data)
    return await file_in_thread(ctx, code)


FLOW = Flow(
    name="mailbox",
    steps={State.MAILBOX_TEXT: note_step, State.MAILBOX_PUSH: push_step, State.THREAD_ANSWER: answer_step,
           State.MAILBOX_OFFER: offer_step},
    commands=(Command(re.compile(r"^\s*查看\s*([A-Za-z0-9]{8})\s*$"), _view),),
    files_text=frozenset({State.MAILBOX_TEXT, State.MAILBOX_PUSH, State.THREAD_ANSWER, State.MAILBOX_OFFER}),
)
