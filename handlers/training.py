"""Members answer a training reminder: 参加 or 请假, by button (with the session number) or as text."""

from __future__ import annotations

import re

from bot.events import Reply
from bot.services.schedule import training
from bot.services.schedule.schedule_text import when
from bot.services.schedule.training import TrainingError
from handlers.base import Command, Context, Flow, Result, State

ATTEND = "已记录：你会参加「{title}」（{when}）。"
LEAVE = "已记录你的请假：「{title}」（{when}）。想了解培训内容，可以问问心理老师。"
NONE = "没有找到你需要回复的培训。"
NOT_MEMBER = "培训通知是发给心理委员的。"


async def _answer(ctx: Context, m: re.Match[str]) -> Result:
    if ctx.who is None or not ctx.is_member:
        return Result([Reply(NOT_MEMBER, ("菜单",))], State.MENU)
    word, number = m.group(1), m.group(2)
    try:
        ts = await training.answer(session=ctx.session, person=ctx.who.person,
                                   session_id=int(number) if number else None, word=word, now=ctx.now)
    except TrainingError:
        return Result([Reply(NONE, ("菜单",))], State.MENU)
    text = ATTEND if word == "参加" else LEAVE
    return Result([Reply(text.format(title=ts.title, when=when(ts.starts_at, ctx.settings.zone)), ("菜单",))],
                  State.MENU)


FLOW = Flow(
    name="training",
    commands=(Command(re.compile(r"^\s*(参加|请假)\s*(?:#?(\d{1,9}))?\s*$"), _answer),),
)
