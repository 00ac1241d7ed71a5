"""The anonymous mailbox: write a note, get a thread code, read replies and answer with `查看 <code>`."""

from __future__ import annotations

import re

from bot.db.models import Case
from bot.events import Reply
from bot.services.crisis import mailbox
from bot.services.crisis.mailbox import ThreadError
from bot.services.messaging import ratelimit
from bot.texts import mailbox as T
from bot.texts.counsellor import OPT_CASE, OPT_PENDING, button
from bot.texts.fill import fill
from bot.texts.mailbox import OPT_NO_PUSH, OPT_OFFER_NO, OPT_OFFER_YES, OPT_PUSH, OPT_VIEW, view_button
from bot.texts.menu import OPT_CANCEL, OPT_HOTLINE, OPT_MENU
from bot.texts.student_chat import OPT_DISCLOSE
from handlers import guessing
from handlers.base import Command, Context, Flow, NoteThread, Result, State
from handlers.crisis import file_as_note, file_in_thread

OFFER_OPTIONS = (OPT_OFFER_YES, OPT_HOTLINE, OPT_OFFER_NO)
MAX_NOTE = 2000


def offer(ctx: Context) -> Result:
    """Free text at the menu: offer to file it as a note (warmly when it does not sound like distress)."""
    text = T.OFFER if ctx.verdict.level == "yellow" else T.WARM
    return Result([Reply(text, OFFER_OPTIONS)], State.MAILBOX_OFFER, {"pending": ctx.text.strip()})


async def offer_step(ctx: Context) -> Result:
    """File what the student wrote (all of it), keep further text with it, or let it go when they say so."""
    choice = ctx.text.strip()
    pending = str(ctx.data.get("pending", ""))
    if choice == OPT_OFFER_NO:
        return Result([Reply(T.OFFER_DECLINED, (OPT_HOTLINE, OPT_MENU))], State.MENU)
    if choice == OPT_OFFER_YES:
        if not pending:
            return start(ctx)
        ctx.text, ctx.verdict = pending, ctx.triage(pending)
        return await note_step(ctx)
    if not choice:
        return Result([Reply(T.KEPT, OFFER_OPTIONS)], State.MAILBOX_OFFER, ctx.data)
    combined = f"{pending}\n{choice}" if pending else choice
    if ctx.verdict.urgent:  # urgent text files everything at once
        ctx.text = combined
        return await file_as_note(ctx)
    return Result([Reply(T.KEPT, OFFER_OPTIONS)], State.MAILBOX_OFFER, {"pending": combined[-4 * MAX_NOTE:]})


def start(ctx: Context) -> Result:
    """Ask for the note."""
    return Result([Reply(fill(T.ASK_NOTE, ctx.settings), (OPT_CANCEL,))], State.MAILBOX_TEXT)


async def note_step(ctx: Context) -> Result:
    """File the note (urgent ones whatever their length, and never rate-limited)."""
    text = ctx.text.strip()
    if not ctx.verdict.urgent:
        if not text:
            return Result([Reply(T.EMPTY, (OPT_CANCEL,))], State.MAILBOX_TEXT)
        if len(text) > MAX_NOTE:
            return Result([Reply(T.TOO_LONG, (OPT_CANCEL,))], State.MAILBOX_TEXT)
        allowed = await ratelimit.allow(session=ctx.session, sealer=ctx.sealer, channel=ctx.inbound.channel,
                                        external_id=ctx.inbound.sender, limit=ctx.settings.mailbox_daily_limit,
                                        now=ctx.now, zone=ctx.settings.zone)
        if not allowed:
            return Result([Reply(fill(T.RATE_LIMITED, ctx.settings), (OPT_MENU,))], State.MENU)
    result = await file_as_note(ctx)
    if result.replies:
        return result
    code = result.data["thread"]
    return Result([Reply(T.RECEIVED.format(code=code), (OPT_PUSH, OPT_NO_PUSH))], State.MAILBOX_PUSH, {"thread": code},
                  note_thread=result.note_thread)


async def push_step(ctx: Context) -> Result:
    """Whether replies are pushed; more text meanwhile joins the thread and the choice is asked again."""
    code = ctx.data.get("thread", "")
    choice = ctx.text.strip()
    if choice not in (OPT_PUSH, OPT_NO_PUSH):
        if not choice:
            return Result([Reply(T.RECEIVED.format(code=code), (OPT_PUSH, OPT_NO_PUSH))], State.MAILBOX_PUSH, ctx.data)
        result = await file_in_thread(ctx, code)
        if result.crisis_level or result.data.get("thread") != code:
            return result
        result.replies = [Reply(T.KEPT_PUSH.format(code=code), (OPT_PUSH, OPT_NO_PUSH))]
        result.state, result.data = State.MAILBOX_PUSH, {"thread": code}
        return result
    try:
        thread = await mailbox.find_thread(session=ctx.session, code=code, now=ctx.now)
    except ThreadError:
        return Result([Reply(T.NO_THREAD.format(code=code), (OPT_MENU,))], State.MENU, forget_thread=True)
    await mailbox.set_push(session=ctx.session, thread=thread, push=choice == OPT_PUSH)
    text = T.PUSH_ON if choice == OPT_PUSH else T.PUSH_OFF
    return Result([Reply(text.format(code=code), (view_button(code), OPT_MENU))], State.MENU)


async def _view(ctx: Context, m: re.Match[str]) -> Result:
    code = m.group(1).upper()
    wait = await guessing.refused(ctx, "thread")
    if wait is not None:
        return wait
    try:
        thread = await mailbox.find_thread(session=ctx.session, code=code, now=ctx.now)
    except ThreadError:
        await guessing.failed(ctx, "thread")
        return Result([Reply(T.NO_THREAD.format(code=code), (OPT_MENU,))], State.MENU)
    msgs = await mailbox.messages(session=ctx.session, thread=thread)
    if ctx.handles_cases:  # the counsellor's side: never the student's seat
        case = await ctx.session.get(Case, thread.case_id)
        if case is None or case.school_id != ctx.school_id:
            return Result([Reply(T.NO_THREAD.format(code=code), (OPT_MENU,))], State.MENU)
        lines = [T.STAFF_LINE[msg.author].format(text=msg.text) for msg in msgs]
        text = T.STAFF_VIEW.format(code=code, case_id=case.id, lines="\n".join(lines))
        return Result([Reply(text, (button(OPT_CASE, case.id), OPT_PENDING))], State.MENU, forget_thread=True)
    lines = [T.LINE[msg.author].format(text=msg.text) for msg in msgs]
    if not any(msg.author == "counsellor" for msg in msgs):
        lines.append(T.NO_REPLY_YET)
    text = T.THREAD_VIEW.format(code=code, lines="\n".join(lines))
    return Result([Reply(text, (OPT_MENU, OPT_DISCLOSE))], State.THREAD_ANSWER, {"thread": code},
                  note_thread=NoteThread(code))


async def answer_step(ctx: Context) -> Result:
    """The student writes in the thread: stored, triaged, the counsellor told; urgent text pages."""
    code = ctx.data.get("thread", "") or (ctx.note_thread.code if ctx.note_thread else "")
    text = ctx.text.strip()
    if not text:
        return Result([Reply(T.EMPTY, (OPT_MENU,))], State.THREAD_ANSWER, ctx.data)
    if len(text) > MAX_NOTE and not ctx.verdict.urgent:
        return Result([Reply(T.TOO_LONG, (OPT_MENU,))], State.THREAD_ANSWER, ctx.data)
    return await file_in_thread(ctx, code)


FLOW = Flow(
    name="mailbox",
    steps={State.MAILBOX_TEXT: note_step, State.MAILBOX_PUSH: push_step, State.THREAD_ANSWER: answer_step,
           State.MAILBOX_OFFER: offer_step},
    commands=(Command(re.compile(rf"^\s*{OPT_VIEW}\s*([A-Za-z0-9]{{8}})\s*$"), _view),),
    files_text=frozenset({State.MAILBOX_TEXT, State.MAILBOX_PUSH, State.THREAD_ANSWER, State.MAILBOX_OFFER}),
)
