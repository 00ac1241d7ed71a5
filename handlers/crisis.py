"""Filing what may be a crisis: a note, a member's report, or one more message in a note's thread.

Texts live in bot/texts/crisis.py (fixed per level, docs/SAFE_REPLIES.md). Nothing a student
writes in a note's context is dropped: it joins the thread, is triaged, and reaches a counsellor.
"""

from __future__ import annotations

from bot.events import Reply
from bot.services.crisis import escalation, flood, mailbox, paging, reports
from bot.services.crisis.mailbox import ThreadError
from bot.services.messaging import outbox
from bot.texts import crisis as T
from bot.texts.mailbox import view_button
from bot.texts.menu import OPT_MENU
from handlers import answers, report_match
from handlers.base import Context, NoteThread, Result, State
from handlers.crisis_text import (  # noqa: F401  (re-exported: the router reads them here)
    DENIAL,
    answer_no_reply,
    closing_text,
    fill,
    footer,
    member_reply,
    student_reply,
)


def _crisis_result(ctx: Context, level: str, code: str, case_id: int) -> Result:
    """The fixed crisis reply; what the student writes next stays in the thread (orange waits for the answer)."""
    return Result([student_reply(level, code, ctx.settings)], State.THREAD_ANSWER, {"thread": code},
                  crisis_level=level, crisis_case=case_id, note_thread=NoteThread(code, asked=level == "orange"))


async def file_as_note(ctx: Context) -> Result:
    """File the sender's text as an anonymous note and answer with the crisis text if urgent.

    An urgent note from a sender whose last one came minutes ago joins their open case (a flood is
    one case, flagged, not a chain per note).
    """
    key = flood.sender_key(sealer=ctx.sealer, channel=ctx.inbound.channel, external_id=ctx.inbound.sender,
                           now=ctx.now, zone=ctx.settings.zone)
    if ctx.verdict.urgent:
        case = await flood.open_case_of(session=ctx.session, key=key, now=ctx.now)
        joined = case and await flood.join(session=ctx.session, case=case, text=ctx.text, verdict=ctx.verdict,
                                           now=ctx.now)
        if case and joined:
            thread, rose = joined
            await escalation.on_urgent(session=ctx.session, case=case, level_rose=rose, summary=ctx.text,
                                       zone=ctx.settings.zone, now=ctx.now)
            return _crisis_result(ctx, ctx.verdict.level, thread.code, case.id)
    note = await mailbox.file_note(session=ctx.session, school_id=ctx.school_id, text=ctx.text,
                                   verdict=ctx.verdict, sealer=ctx.sealer, channel=ctx.inbound.channel,
                                   external_id=ctx.inbound.sender, now=ctx.now, sender_key=key,
                                   roster=ctx.settings.student_names)
    if ctx.verdict.urgent:
        await escalation.start(session=ctx.session, case=note.case, summary=ctx.text, zone=ctx.settings.zone,
                               now=ctx.now, new_case=True)
        return _crisis_result(ctx, ctx.verdict.level, note.thread.code, note.case.id)
    return Result([], State.MENU, {"thread": note.thread.code}, note_thread=NoteThread(note.thread.code))


async def file_in_thread(ctx: Context, code: str) -> Result:
    """One more message from the student in their note's thread: stored, triaged, a counsellor told.

    An answer to the bot's direct question is read as yes / no / other: a yes is handled as red
    (the case rises, pages go out now, the red reply with the immediate-safety text); a no is
    recorded and the case stays open. A thread that has ended gets the text as a new note.
    """
    text = ctx.text.strip()
    try:
        thread = await mailbox.find_thread(session=ctx.session, code=code, now=ctx.now)
    except ThreadError:
        ctx.text = text
        filed = await file_as_note(ctx)
        if filed.replies:
            return filed
        new_code = filed.data["thread"]
        filed.replies = [Reply(T.THREAD_ENDED.format(code=new_code), (view_button(new_code), OPT_MENU))]
        filed.state, filed.data = State.THREAD_ANSWER, {"thread": new_code}
        return filed
    asked = ctx.note_thread is not None and ctx.note_thread.code == code and ctx.note_thread.asked
    answer = answers.classify(text) if asked else None
    level = "red" if answer == answers.YES else ctx.verdict.level
    case, rose = await mailbox.student_answer(session=ctx.session, thread=thread, text=text, level=level,
                                              answer=answer, now=ctx.now)
    urgent = level in ("red", "orange")
    if answer in (answers.YES, answers.NO):
        notice = T.ANSWER_NOTICE.format(code=code, case_id=case.id, text=paging.excerpt(text, 200),
                                        meaning=T.ANSWER_MEANING[answer])
    else:
        notice = T.NEW_MESSAGE_NOTICE.format(code=code, case_id=case.id, excerpt=paging.excerpt(text))
    in_crisis = urgent or answer is not None or case.level in ("red", "orange")  # jumps the queue
    if urgent and answer is None:  # many urgent messages from one sender within minutes flag the case
        await flood.flag_if_flood(session=ctx.session, case=case, now=ctx.now)
    # Whether the holder gets this notice on its own, merged with pages, or folded into what they were
    # already told (a flood) is the page queue's business (services/messaging/page_queue.py).
    await mailbox.tell_holder(session=ctx.session, case=case, text=notice, zone=ctx.settings.zone,
                              urgent=in_crisis, now=ctx.now,
                              about=outbox.ABOUT_MESSAGE if urgent and answer is None else outbox.ABOUT_OTHER)
    if urgent:
        summary = T.DIRECT_QUESTION_SUMMARY.format(text=text) if answer == answers.YES else text
        await escalation.on_urgent(session=ctx.session, case=case, level_rose=rose, summary=summary,
                                   zone=ctx.settings.zone, now=ctx.now)
        return _crisis_result(ctx, level, code, case.id)
    still_asked = asked and answer == answers.OTHER
    if answer == answers.NO:
        replies = [answer_no_reply(code, ctx.settings)]
    else:
        replies = [Reply(T.ANSWER_SENT.format(code=code), (view_button(code), OPT_MENU))]
    return Result(replies, State.THREAD_ANSWER, {"thread": code}, note_thread=NoteThread(code, asked=still_asked))


async def file_as_report(ctx: Context, subject: str, signs: list[str], text: str) -> Result:
    """File a member's text as a concern report, page if urgent, answer with the peer crisis text."""
    assert ctx.who is not None
    key = flood.sender_key(sealer=ctx.sealer, channel="person", external_id=str(ctx.who.person.id), now=ctx.now,
                           zone=ctx.settings.zone)
    filed = await reports.file_concern(session=ctx.session, reporter=ctx.who.person, subject=subject,
                                       signs=signs, text=text, verdict=ctx.verdict, now=ctx.now, sender_key=key)
    level = filed.report.level
    if level in ("red", "orange"):
        await escalation.on_urgent(session=ctx.session, case=filed.case, level_rose=filed.level_rose,
                                   summary=text or subject, zone=ctx.settings.zone, now=ctx.now)
        return Result([member_reply(level, filed.case.id, ctx.settings)], State.MENU, crisis_level=level,
                      crisis_case=filed.case.id)
    return Result([], State.MENU, {"case": filed.case.id})


async def intercept(ctx: Context) -> Result:
    """Urgent text outside a step that files it: never dropped, filed at once, resources first.

    A student already in a note's thread (within the idle window) writes into that thread.
    """
    if ctx.note_thread is not None and not ctx.data.get("who"):
        return await file_in_thread(ctx, ctx.note_thread.code)
    if ctx.is_member or "head_teacher" in ctx.roles:  # about a student of theirs: a concern report
        subject = str(ctx.data.get("who") or T.UNNAMED_SUBJECT)
        signs = list(ctx.data.get("signs") or [])
        filed = await file_as_report(ctx, subject, signs, ctx.text)
        if not ctx.data.get("who"):
            return filed
        return await report_match.ask(ctx, filed, subject)  # filed and paged first; the name check links after
    return await file_as_note(ctx)
