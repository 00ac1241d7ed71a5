"""The weekly check-in (零报告): "nothing unusual" is a report too. The asks come from the scheduler."""

from __future__ import annotations

import re

from bot.events import Reply
from bot.services.crisis.reports import record_checkin
from handlers import report
from handlers.base import Command, Context, Flow, Result, State
from handlers.crisis import file_as_report

ASK = "本周周报：你负责的{group}这周有需要关注的同学吗？"
OPT_NOTHING, OPT_SOMETHING = "无异常", "有情况要报告"
RECORDED = "已记录本周零报告，谢谢你！如果之后发现情况，随时可以报告。"
NOTED = "已记录本周周报，谢谢你！如果有需要心理老师关注的同学，可以点「有情况要报告」。"
NOTED_CASE = "已记录本周周报，谢谢你！你写的情况已经作为同学情况报告交给心理老师（案例 #{case_id}）。"
CHECKIN_SUBJECT = "周报中提到的同学"
NOT_MEMBER = "周报由心理委员填写。如果你想说说自己的事，可以写给匿名心理信箱。"


def start(ctx: Context) -> Result:
    """Ask for this week's report."""
    return Result([Reply(ASK.format(group="班级或寝室"), (OPT_NOTHING, OPT_SOMETHING))], State.CHECKIN)


async def _answer(ctx: Context, m: re.Match[str]) -> Result:
    """The buttons of a check-in push work from any state."""
    if not ctx.is_member:
        return Result([Reply(NOT_MEMBER, ("匿名心理信箱", "菜单"))], State.MENU)
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
        filed = await file_as_report(ctx, CHECKIN_SUBJECT, [], text)
        if filed.replies:
            return filed
        return Result([Reply(NOTED_CASE.format(case_id=filed.data["case"]), ("菜单",))], State.MENU)
    return Result([Reply(RECORDED if not text else NOTED, (OPT_SOMETHING, "菜单") if text else ("菜单",))],
                  State.MENU)


FLOW = Flow(
    name="checkin",
    steps={State.CHECKIN: checkin_step},
    commands=(Command(re.compile(rf"^\s*({OPT_NOTHING}|{OPT_SOMETHING})\s*$"), _answer),),
)
