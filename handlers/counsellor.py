"""Counsellor commands: 收到, 回复 <code|case> <text>, 记录, 跟进 <case> <date>, 结案 <case> <outcome>, the views."""

from __future__ import annotations

import re

from bot.db.models import Person
from bot.services.crisis import casework, mailbox, paging
from bot.services.crisis.cases import CaseError, add_note
from bot.services.crisis.closing import ClosingTexts
from bot.services.crisis.mailbox import ThreadError
from bot.services.schedule.followups import set_follow_up
from bot.services.schedule.periods import off_school
from bot.services.schedule.schedule_text import day_text, parse_day
from bot.texts import counsellor as T
from bot.texts import mailbox as mailbox_texts
from bot.texts.counsellor import (
    OPT_ACK,
    OPT_CASE,
    OPT_CLOSE,
    OPT_FOLLOW_UP,
    OPT_HELP,
    OPT_NOTE,
    OPT_PENDING,
    OPT_REPLY,
    OPT_SURE,
    OUTCOME_NAMES,
    OUTCOME_WORDS,
    button,
)
from handlers import case_view
from handlers.base import Command, Context, Flow, Result
from handlers.crisis import closing_text
from handlers.staff_text import say


async def _ack(ctx: Context, m: re.Match[str]) -> Result:
    assert ctx.who is not None
    if m.group(1) is None:  # a bare 收到: the reply to the latest page this person got
        latest = await paging.latest_unacknowledged_page(session=ctx.session, person=ctx.who.person, now=ctx.now)
        if latest is None:
            return say(T.USAGE[OPT_ACK])
        case_id = latest
    else:
        case_id = int(m.group(1))
    try:
        case, first = await casework.take(session=ctx.session, case_id=case_id, person=ctx.who.person, now=ctx.now)
    except CaseError as err:
        return say(T.ERRORS[err.reason].format(id=case_id))
    if not first:
        holder = await ctx.session.get(Person, case.acknowledged_by_id)
        return say(T.ACKED_BY_OTHER.format(id=case_id, name=holder.name if holder else T.ANOTHER_COUNSELLOR),
                   button(OPT_CASE, case_id))
    thread = await mailbox.thread_for_case(session=ctx.session, case_id=case_id)
    text = T.ACKED.format(id=case_id)
    if thread is not None:
        text += "\n" + T.ACKED_THREAD.format(code=thread.code, id=case_id)
    return say(text, button(OPT_CASE, case_id))


async def _reply(ctx: Context, m: re.Match[str]) -> Result:
    """`回复 <code> <text>` or `回复 <case id> <text>`."""
    handle, text = m.group(1).upper(), m.group(2).strip()
    assert ctx.who is not None
    code = handle
    if handle.isdigit() and not (len(handle) == 8 and await _is_code(ctx, handle)):
        thread = await mailbox.thread_for_case(session=ctx.session, case_id=int(handle))
        if thread is None:
            return say(T.ERRORS["no_thread"].format(id=int(handle)))
        code = thread.code
    try:
        thread = await mailbox.counsellor_reply(session=ctx.session, code=code, person=ctx.who.person, text=text,
                                                push_text=mailbox_texts.REPLY_PUSH, now=ctx.now)
    except ThreadError:
        return say(T.ERRORS["thread"].format(code=code))
    done = T.REPLIED if thread.push_replies else T.REPLIED_NO_PUSH
    return say(done.format(code=code, case_id=thread.case_id), button(OPT_CASE, thread.case_id))


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
        return say(T.ERRORS[err.reason].format(id=case_id))
    return say(T.NOTED.format(id=case_id), button(OPT_CASE, case_id))


async def _close(ctx: Context, m: re.Match[str]) -> Result:
    case_id, word, text = int(m.group(1)), m.group(2), (m.group(3) or "").strip()
    if word is None:
        return say(T.PICK_OUTCOME.format(id=case_id),
                   *(button(OPT_CLOSE, case_id, name) for name in OUTCOME_NAMES.values()))
    outcome = OUTCOME_WORDS.get(word.lower(), "")
    assert ctx.who is not None
    texts = ClosingTexts(student=closing_text(ctx.settings), reporter=T.REPORTER_THANKS, paged=T.PAGED_CLOSED)
    try:
        closed = await casework.close(session=ctx.session, case_id=case_id, person=ctx.who.person, outcome=outcome,
                                      outcome_name=OUTCOME_NAMES.get(outcome, ""), texts=texts, text=text,
                                      now=ctx.now)
    except CaseError as err:
        return say(T.ERRORS[err.reason].format(id=case_id))
    lines = [T.CLOSED.format(id=case_id, outcome=OUTCOME_NAMES[outcome])]
    if closed.unacknowledged:
        lines.append(T.CLOSED_UNACKED.format(id=case_id, n=closed.paged_told))
    if closed.thread_code:
        lines.append(T.CLOSED_TOLD.format(code=closed.thread_code))
    if closed.follow_ups_cancelled:
        lines.append(T.CLOSED_FOLLOW_UPS)
    return say("\n".join(lines))


async def _follow_up(ctx: Context, m: re.Match[str]) -> Result:
    case_id, day, confirmed = int(m.group(1)), m.group(2), m.group(3) is not None
    assert ctx.who is not None
    if day is None:
        return say(T.PICK_DAY.format(id=case_id), button(OPT_FOLLOW_UP, case_id, "明天"),
                   button(OPT_FOLLOW_UP, case_id, "下周一"))
    try:
        on = parse_day(day, ctx.now.astimezone(ctx.settings.zone).date())
    except ValueError:
        return say(T.ERRORS["date"])
    why = await off_school(session=ctx.session, school_id=ctx.school_id, day=on)
    if why and not confirmed:
        return say(T.FOLLOW_UP_CONFIRM.format(day=day_text(on), why=why),
                   button(OPT_FOLLOW_UP, case_id, on.isoformat(), OPT_SURE), button(OPT_FOLLOW_UP, case_id, "下周一"))
    try:
        await set_follow_up(session=ctx.session, case_id=case_id, person=ctx.who.person, on=on,
                            zone=ctx.settings.zone, now=ctx.now)
    except CaseError as err:
        return say(T.ERRORS[err.reason].format(id=case_id))
    return say(T.FOLLOW_UP_SET.format(id=case_id, day=day_text(on)), button(OPT_CASE, case_id))


async def _usage(ctx: Context, m: re.Match[str]) -> Result:
    return say(T.USAGE[m.group(1)])


async def _refuse(ctx: Context, _m: re.Match[str]) -> Result:
    return say(T.STAFF_ONLY)


FLOW = Flow(
    name="counsellor",
    commands=(
        Command(re.compile(rf"^\s*({OPT_HELP}|/help|help|\?|？)\s*$", re.I), case_view._help_command),
        Command(re.compile(rf"^\s*({OPT_PENDING}|/pending)\s*$"), case_view._pending_command, staff_only=True),
        Command(re.compile(rf"^\s*{OPT_CASE}\s*#?(\d{{1,9}})\s*$"), case_view._case_command, staff_only=True),
        Command(re.compile(rf"^\s*{OPT_ACK}\s*(?:#?(\d{{1,9}}))?\s*[。！!.]?\s*$"), _ack, staff_only=True),
        Command(re.compile(rf"^\s*{OPT_REPLY}\s*#?([A-Za-z0-9]{{1,9}})\s+(.+)$", re.S), _reply, staff_only=True),
        Command(re.compile(rf"^\s*{OPT_NOTE}\s*#?(\d{{1,9}})\s+(.+)$", re.S), _note, staff_only=True),
        Command(re.compile(rf"^\s*{OPT_CLOSE}\s*#?(\d{{1,9}})(?:\s+(\S+)(?:\s+(.*))?)?\s*$", re.S), _close,
                staff_only=True),
        Command(re.compile(rf"^\s*{OPT_FOLLOW_UP}\s*#?(\d{{1,9}})(?:\s+(\S+)(?:\s+({OPT_SURE}))?)?\s*$"), _follow_up,
                staff_only=True),
        Command(re.compile(rf"^\s*({'|'.join(T.USAGE)})(?:\s.*)?$", re.S), _usage, staff_only=True),
    ),
)
