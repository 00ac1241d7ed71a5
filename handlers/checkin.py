"""The weekly check-in (零报告): "nothing unusual" is a report too. The asks come from the scheduler."""

from __future__ import annotations

import re

from bot.events import Reply
from bot.services.crisis.reports import record_checkin
from bot.texts import checkin as T
from bot.texts.checkin import OPT_NOTHING, OPT_SOMETHING
from bot.texts.menu import OPT_MAILBOX, OPT_MENU
from handlers import report
from handlers.base import Command, Context, Flow, Result, State
from handlers.crisis import file_as_report


def start(ctx: Context) -> Result:
    """Ask for this week's report."""
    return Result([Reply(T.ASK.format(group=T.ASK_GROUP), (OPT_NOTHING, OPT_SOMETHING))], State.CHECKIN)


async def _answer(ctx: Context, m: re.Match[str]) -> Result:
    """The buttons of a check-in push work from any state."""
    if not ctx.is_member:
        return Result([Reply(T.NOT_MEMBER, (OPT_MAILBOX, OPT_MENU))], State.MENU)
    return await checkin_step(ctx)


async def checkin_step(ctx: Context) -> Result:
    """One tap for nothing unusual, or into a concern report; free text is kept as the check-in."""
    choice = ctx.text.strip()
    if choice == OPT_SOMETHING:
        return report.start(ctx)
    if not choice:
        return start(ctx)
    assert ctx.who is not None
    person = ctx.who.person
    text = "" if choice == OPT_NOTHING else choice
    record_checkin(session=ctx.session, reporter=person, text=text, verdict=ctx.verdict, now=ctx.now)
    if text and ctx.verdict.level != "none":  # a concern in the check-in reaches a counsellor as a report
        filed = await file_as_report(ctx, T.CHECKIN_SUBJECT, [], text)
        if filed.replies:
            return filed
        return Result([Reply(T.NOTED_CASE.format(case_id=filed.data["case"]), (OPT_MENU,))], State.MENU)
    return Result([Reply(T.RECORDED if not text else T.NOTED, (OPT_SOMETHING, OPT_MENU) if text else (OPT_MENU,))],
                  State.MENU)


FLOW = Flow(
    name="checkin",
    steps={State.CHECKIN: checkin_step},
    commands=(Command(re.compile(rf"^\s*({OPT_NOTHING}|{OPT_SOMETHING})\s*$"), _answer),),
)
