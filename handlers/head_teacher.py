"""Head teachers (班主任): report a concern about a student of their class, the cases shared with them, follow-ups.

A case is shared with a head teacher when they reported it, were paged about it (the escalation
chain's head_teacher step) or a counsellor shared it in the console; they see where it stands, never an
anonymous note.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.db.models import Case, OutboxMessage, Person
from bot.events import Reply
from bot.services.crisis import casework
from bot.texts import cases as T
from bot.texts import counsellor as counsellor_texts
from bot.texts import paging as paging_texts
from bot.texts.cases import OPT_CASES, OPT_TASKS
from bot.texts.menu import OPT_MENU, OPT_REPORT
from handlers.base import Command, Context, Result, State
from handlers.staff_text import clock, zone_name


def is_head_teacher(ctx: Context) -> bool:
    """A bound head teacher."""
    return "head_teacher" in ctx.roles


async def shared_cases(ctx: Context) -> Result:
    """The cases of which the head teacher reported one or was paged, open ones first."""
    if ctx.who is None or not is_head_teacher(ctx):
        return Result([Reply(T.NOT_HEAD_TEACHER, (OPT_MENU,))], State.MENU)
    shared = await casework.shared_with(session=ctx.session, person=ctx.who.person)
    cases = list((await ctx.session.execute(
        select(Case).where(Case.school_id == ctx.school_id, Case.id.in_(shared))
        .order_by(Case.closed_at.is_not(None), Case.id.desc()).limit(20))).scalars())
    if not cases:
        return Result([Reply(T.SHARED_NONE, (OPT_REPORT, OPT_MENU))], State.MENU)
    zone = ctx.settings.zone
    lines = [T.CASES_HEAD.format(zone=zone_name(zone))]
    for case in cases:
        holder = await ctx.session.get(Person, case.acknowledged_by_id) if case.acknowledged_by_id else None
        lines.append(T.CASE_LINE.format(id=case.id, level=paging_texts.LEVEL_NAMES[case.level],
                                        status=counsellor_texts.STATUS_NAMES.get(case.status, case.status),
                                        subject=case.subject or T.NO_SUBJECT,
                                        holder=holder.name if holder else T.NOBODY,
                                      opened=clock(case.created_at, zone)))
    return Result([Reply("\n".join(lines), (OPT_REPORT, OPT_MENU))], State.MENU)


async def follow_up_tasks(ctx: Context) -> Result:
    """The follow-up reminders waiting for the head teacher."""
    if ctx.who is None or not is_head_teacher(ctx):
        return Result([Reply(T.NOT_HEAD_TEACHER, (OPT_MENU,))], State.MENU)
    rows = list((await ctx.session.execute(select(OutboxMessage).where(
        OutboxMessage.person_id == ctx.who.person.id, OutboxMessage.state == "pending",
        OutboxMessage.ref.like("followup:%")).order_by(OutboxMessage.due_at))).scalars())
    seen: set[int | None] = set()
    zone = ctx.settings.zone
    lines = [T.TASKS_HEAD.format(zone=zone_name(zone))]
    for row in rows:
        if row.case_id in seen:  # one line per case, not per channel
            continue
        seen.add(row.case_id)
        lines.append(T.TASK_LINE.format(due=clock(row.due_at, zone), case_id=row.case_id))
    text = "\n".join(lines) if len(lines) > 1 else T.NO_TASKS
    return Result([Reply(text, (OPT_CASES, OPT_MENU))], State.MENU)


async def _cases(ctx: Context, _m: re.Match[str]) -> Result:
    return await shared_cases(ctx)


async def _tasks(ctx: Context, _m: re.Match[str]) -> Result:
    return await follow_up_tasks(ctx)


COMMANDS = (
    Command(re.compile(rf"^\s*{OPT_CASES}\s*$"), _cases),
    Command(re.compile(rf"^\s*{OPT_TASKS}\s*$"), _tasks),
)
