"""A student in their anonymous thread may choose to tell the counsellor who they are: an explicit option,
a clear warning first, and their choice recorded. The system never links a note to a student by itself."""

from __future__ import annotations

import re

from bot.events import Reply
from bot.services.crisis import mailbox
from bot.services.crisis.cases import get_case
from bot.services.crisis.mailbox import ThreadError
from bot.services.students.students import record_disclosure
from bot.texts import student_chat as ST
from bot.texts.student_chat import OPT_DISCLOSE, OPT_DISCLOSE_NO, OPT_DISCLOSE_YES
from handlers.base import Command, Context, Flow, NoteThread, Result, State
from handlers.crisis import file_in_thread

WARN_OPTIONS = (OPT_DISCLOSE_YES, OPT_DISCLOSE_NO)


def _code(ctx: Context) -> str:
    return str(ctx.data.get("thread") or (ctx.note_thread.code if ctx.note_thread else ""))


async def _offer(ctx: Context, _m: re.Match[str]) -> Result:
    code = _code(ctx)
    if not code or ctx.who is not None and ctx.handles_cases:
        return Result([Reply(ST.DISCLOSE_NO_THREAD, ("菜单",))], State.MENU)
    return Result([Reply(ST.DISCLOSE_WARN, WARN_OPTIONS)], State.DISCLOSE_CONFIRM, {"thread": code},
                  note_thread=NoteThread(code))


def _kept(code: str) -> Result:
    return Result([Reply(ST.DISCLOSE_KEPT, (f"查看 {code}", "菜单"))], State.THREAD_ANSWER, {"thread": code},
                  note_thread=NoteThread(code))


async def confirm_step(ctx: Context) -> Result:
    """Yes: ask for name and class. No: stay anonymous. Other text joins the thread; the choice is asked again."""
    code, choice = _code(ctx), ctx.text.strip()
    if choice == OPT_DISCLOSE_YES:
        return Result([Reply(ST.DISCLOSE_ASK, (OPT_DISCLOSE_NO,))], State.DISCLOSE_WHO, {"thread": code},
                      note_thread=NoteThread(code))
    if choice == OPT_DISCLOSE_NO or not choice:
        return _kept(code)
    result = await file_in_thread(ctx, code)  # never dropped
    if result.crisis_level:
        return result
    result.replies = list(result.replies) + [Reply(ST.DISCLOSE_WARN, WARN_OPTIONS)]
    result.state, result.data = State.DISCLOSE_CONFIRM, {"thread": code}
    return result


async def who_step(ctx: Context) -> Result:
    """Name and class: recorded as the student's own choice; linked when exactly one student fits."""
    code, text = _code(ctx), " ".join(ctx.text.split())
    if text == OPT_DISCLOSE_NO:
        return _kept(code)
    parts = text.split(" ")
    if len(parts) != 2 or len(parts[0]) > 20 or len(parts[1]) > 30:
        return Result([Reply(ST.DISCLOSE_BAD, (OPT_DISCLOSE_NO,))], State.DISCLOSE_WHO, {"thread": code},
                      note_thread=NoteThread(code))
    try:
        thread = await mailbox.find_thread(session=ctx.session, code=code, now=ctx.now)
    except ThreadError:
        return Result([Reply(ST.DISCLOSE_NO_THREAD, ("菜单",))], State.MENU, forget_thread=True)
    name, klass = parts
    student = await record_disclosure(session=ctx.session, school_id=ctx.school_id, case_id=thread.case_id,
                                      name=name, class_name=klass, now=ctx.now)
    case = await get_case(session=ctx.session, case_id=thread.case_id)
    await mailbox.tell_holder(session=ctx.session, case=case, zone=ctx.settings.zone, now=ctx.now,
                              text=ST.DISCLOSED_NOTICE.format(code=code, case_id=case.id, name=name, klass=klass,
                                                           matched=ST.DISCLOSED_MATCHED if student else
                                                           ST.DISCLOSED_UNMATCHED))
    return Result([Reply(ST.DISCLOSE_DONE.format(name=name, klass=klass, code=code), (f"查看 {code}", "菜单"))],
                  State.THREAD_ANSWER, {"thread": code}, note_thread=NoteThread(code))


FLOW = Flow(
    name="disclose",
    steps={State.DISCLOSE_CONFIRM: confirm_step, State.DISCLOSE_WHO: who_step},
    commands=(Command(re.compile(rf"^\s*{OPT_DISCLOSE}\s*$"), _offer),),
)
