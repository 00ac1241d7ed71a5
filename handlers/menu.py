"""The menu: what anyone, a committee member or a counsellor can do; and the hotline numbers."""

from __future__ import annotations

import re

from bot.db.models_people import STAFF_ROLES
from bot.events import Reply
from handlers import bind, case_view, checkin, head_teacher, mailbox, report
from handlers.base import Command, Context, Flow, Result, State
from handlers.crisis import file_in_thread, fill

GREETING = "你好，这里是{school_name}的心桥。有什么想说的，都可以告诉我。请选择："
NOT_UNDERSTOOD = "这不是一个命令。请选择下面的一项（也可以回复序号），发送「帮助」查看所有命令："
EXPIRED = "上一次的操作太久没有继续，已经回到主菜单。"
HOTLINE = (
    "心理援助热线：{hotline}（24小时）\n"
    "紧急情况：{emergency}\n"
    "学校心理老师：{school}\n"
    "你不需要一个人扛着，随时可以打电话，也可以在这里给心理老师写匿名信。"
)
CANCELLED = "已取消，回到主菜单。"

OPT_MAILBOX = "匿名心理信箱"
OPT_BIND = "绑定心理委员"
OPT_HOTLINE = "求助热线"
OPT_REPORT = "报告同学情况"
OPT_CHECKIN = "本周周报"
OPT_PENDING = "待处理"


GREETINGS = ("菜单", "你好", "您好", "/start", "hi", "hello", "menu")
SMALL_TALK = ("谢谢", "谢谢你", "谢谢老师", "好的", "好", "嗯", "嗯嗯", "ok", "再见", "拜拜", "知道了")
YOU_ARE_WELCOME = "不客气。想说的时候随时可以找我，也可以写给匿名心理信箱。"


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
    text = GREETING.format(school_name=ctx.settings.school_name)
    if prefix:
        text = prefix + "\n" + text
    return Result([Reply(text, options_for(ctx))], State.MENU)


def hotline_reply(ctx: Context) -> Reply:
    """The hotline numbers."""
    return Reply(fill(HOTLINE, ctx.settings), ("菜单",))


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
        return show(ctx, EXPIRED if ctx.data.get("expired") else None)
    if ctx.note_thread is not None:  # the student wrote a note a moment ago: this joins it
        return await file_in_thread(ctx, ctx.note_thread.code)
    if choice.lower().rstrip("！!。.~") in SMALL_TALK:
        return Result([Reply(YOU_ARE_WELCOME, allowed)], State.MENU)
    if ctx.roles & STAFF_ROLES and ctx.verdict.level == "none":  # adults: a command they mistyped
        return Result([Reply(NOT_UNDERSTOOD, allowed)], State.MENU)
    result = mailbox.offer(ctx)  # never a cold "not understood": one tap files it as a note
    if ctx.data.get("expired"):
        first = result.replies[0]
        result.replies[0] = Reply(f"{EXPIRED}\n{first.text}", first.options)
    return result


async def _menu_command(ctx: Context, _m: re.Match[str]) -> Result:
    return show(ctx)


async def _cancel(ctx: Context, _m: re.Match[str]) -> Result:
    return show(ctx, CANCELLED)


async def _hotline(ctx: Context, _m: re.Match[str]) -> Result:
    return Result([hotline_reply(ctx)], State.MENU)


FLOW = Flow(
    name="menu",
    steps={State.MENU: menu_step},
    commands=(
        *head_teacher.COMMANDS,
        Command(re.compile(r"^\s*(取消|/cancel|退出)\s*$", re.I), _cancel),
        Command(re.compile(r"^\s*(菜单|主菜单|/menu|/start|menu)\s*$", re.I), _menu_command),
        Command(re.compile(r"^\s*(求助热线|热线|/hotline)\s*$", re.I), _hotline),
    ),
)
