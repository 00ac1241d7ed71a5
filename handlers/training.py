"""Members answer a training reminder: 参加 or 请假, by button (with the session number) or as text."""

from __future__ import annotations

import re

from bot.events import Reply
from bot.services.schedule import training
from bot.services.schedule.schedule_text import when
from bot.services.schedule.training import TrainingError
from bot.texts import training as T
from bot.texts.menu import OPT_MENU
from bot.texts.training import OPT_ATTEND, OPT_LEAVE
from handlers.base import Command, Context, Flow, Result, State


async def _answer(ctx: Context, m: re.Match[str]) -> Result:
    if ctx.who is None or not ctx.is_member:
        return Result([Reply(T.NOT_MEMBER, (OPT_MENU,))], State.MENU)
    word, number = m.group(1), m.group(2)
    try:
        ts = await training.answer(session=ctx.session, person=ctx.who.person,
                                   session_id=int(number) if number else None, word=word, now=ctx.now)
    except TrainingError:
        return Result([Reply(T.NONE, (OPT_MENU,))], State.MENU)
    text = T.ATTEND if word == OPT_ATTEND else T.LEAVE
    return Result([Reply(text.format(title=ts.title, when=when(ts.starts_at, ctx.settings.zone)), (OPT_MENU,))],
                  State.MENU)


FLOW = Flow(
    name="training",
    commands=(Command(re.compile(rf"^\s*({OPT_ATTEND}|{OPT_LEAVE})\s*(?:#?(\d{{1,9}}))?\s*$"), _answer),),
)
