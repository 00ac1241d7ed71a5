"""The menu: what anyone, a committee member or a counsellor can do; and the hotline numbers."""

from __future__ import annotations

import re

from bot.db.models_people import STAFF_ROLES
from bot.events import Reply
from bot.texts import menu as T
from bot.texts.counsellor import OPT_PENDING
from bot.texts.fill import fill
from bot.texts.menu import (
    GREETINGS,
    OPT_BIND,
    OPT_CANCEL,
    OPT_CHECKIN,
    OPT_HOTLINE,
    OPT_MAILBOX,
    OPT_MENU,
    OPT_REPORT,
    SMALL_TALK,
)
from handlers import bind, case_view, checkin, head_teacher, mailbox, report
from handlers.base import Command, Context, Flow, Result, State
from handlers.crisis import file_in_thread


def options_for(ctx: Context) -> tuple[str, ...]:
    """The menu options this sender may use; binding is last, and only for the unbound."""
    opts = [OPT_MAILBOX, OPT_HOTLINE]
    if ctx.is_member:
        opts[1:1] = [OPT_REPORT, OPT_CHECKIN]
    elif head_teacher.is_head_teacher(ctx):
        opts[0:0] = [OPT_REPORT, head_teacher.OPT_CASES, head_teacher.OPT_TASKS]
    if ctx.handles_cases:
        opts.insert(0, OPT_PENDING)
    if ctx.who is None:
        opts.append(OPT_BIND)
    return tuple(opts)


def show(ctx: Context, prefix: str | None = None) -> Result:
    """The menu, optionally after a line of explanation."""
    text = T.GREETING.format(school_name=ctx.settings.school_name)
    if prefix:
        text = prefix + "\n" + text
    return Result([Reply(text, options_for(ctx))], State.MENU)


def hotline_reply(ctx: Context) -> Reply:
    """The hotline numbers."""
    return Reply(fill(T.HOTLINE, ctx.settings), (OPT_MENU,))


async def menu_step(ctx: Context) -> Result:
    """Dispatch a menu choice; anything else re-asks with the options."""
    choice = ctx.text.strip()
    allowed = options_for(ctx)
    if choice in allowed:
        if choice == OPT_MAILBOX:
            return mailbox.start(ctx)
        if choice == OPT_BIND:
            return bind.start(ctx)
        if choice == OPT_HOTLINE:
            return Result([hotline_reply(ctx)], State.MENU)
        if choice == OPT_REPORT:
            return report.start(ctx)
        if choice == OPT_CHECKIN:
            return checkin.start(ctx)
        if choice == OPT_PENDING:
            return await case_view.pending(ctx)
    if not choice or choice.lower() in GREETINGS:
        return show(ctx, T.EXPIRED if ctx.data.get("expired") else None)
    if ctx.note_thread is not None:  # the student wrote a note a moment ago: this joins it
        return await file_in_thread(ctx, ctx.note_thread.code)
    if choice.lower().rstrip("！!。.~") in SMALL_TALK:
        return Result([Reply(T.YOU_ARE_WELCOME, allowed)], State.MENU)
    if ctx.roles & STAFF_ROLES and ctx.verdict.level == "none":  # adults: a command they mistyped
        return Result([Reply(T.NOT_UNDERSTOOD, allowed)], State.MENU)
    result = mailbox.offer(ctx)  # never a cold "not understood": one tap files it as a note
    if ctx.data.get("expired"):
        first = result.replies[0]
        result.replies[0] = Reply(f"{T.EXPIRED}\n{first.text}", first.options)
    return result


async def _menu_command(ctx: Context, _m: re.Match[str]) -> Result:
    return show(ctx)


async def _cancel(ctx: Context, _m: re.Match[str]) -> Result:
    return show(ctx, T.CANCELLED)


async def _hotline(ctx: Context, _m: re.Match[str]) -> Result:
    return Result([hotline_reply(ctx)], State.MENU)


FLOW = Flow(
    name="menu",
    steps={State.MENU: menu_step},
    commands=(
        *head_teacher.COMMANDS,
        Command(re.compile(rf"^\s*({OPT_CANCEL}|/cancel|退出)\s*$", re.I), _cancel),
        Command(re.compile(rf"^\s*({OPT_MENU}|主菜单|/menu|/start|menu)\s*$", re.I), _menu_command),
        Command(re.compile(rf"^\s*({OPT_HOTLINE}|热线|/hotline)\s*$", re.I), _hotline),
    ),
)
