"""Crisis replies (fixed text per level, docs/SAFE_REPLIES.md) and the catch-all for urgent text.

Every text here is fixed: the same message gets the same words every time. None names a method,
promises secrecy, doubts the sender or lectures them.
"""

from __future__ import annotations

import re

from bot.config import Settings
from bot.services import escalation, mailbox, reports
from handlers.base import Context, Reply, Result, State

STUDENT = {
    "red": (
        "如果你现在有危险，请马上拨打{emergency}，也可以拨打心理援助热线{hotline}，随时有人接听。"
        "听起来你现在真的很难受，谢谢你愿意说出来。"
        "请先离开身边可能伤害到自己的东西，现在就去找身边的大人（老师、家长、宿管），或者打电话给他们。"
        "学校的心理老师已经收到通知，会通过这个匿名对话联系你（编号 {code}，发送「查看 {code}」可以看到老师的回复）。"
        "你的安全最重要：为了保护你，老师可能会请其他大人一起帮忙。"
        "这样的时刻会过去，很多人都从这样的时刻走了过来，帮助是有用的。"
    ),
    "orange": (
        "你可以随时拨打心理援助热线{hotline}，也可以找学校的心理老师（{school}）。"
        "听起来你现在真的很难受，谢谢你告诉我们。"
        "我想直接问你：你现在有伤害自己或结束生命的想法吗？可以直接回复我。"
        "心理老师已经收到通知，今天会通过这个匿名对话联系你（编号 {code}，发送「查看 {code}」可以看到老师的回复）。"
        "你的安全最重要：为了保护你，老师可能会请其他大人一起帮忙。"
        "如果危险就在眼前，请马上拨打{emergency}。很多人都经历过这样的难关并走了过来，帮助是有用的。"
    ),
}
MEMBER = {
    "red": (
        "如有紧急危险，请立即拨打{emergency}，也可拨打心理援助热线{hotline}。"
        "谢谢你及时告诉我们，这很重要。值班心理老师已经收到通知（案例 #{case_id}），会马上处理。"
        "请现在就当面或打电话告诉班主任或心理老师；如果危险就在眼前，请陪在同学身边，同时拨打{emergency}，"
        "并请身边的大人帮忙。不要替同学保守这个秘密，你不需要一个人承担。"
    ),
    "orange": (
        "请联系学校心理老师（{school}），也可拨打心理援助热线{hotline}。"
        "谢谢你的报告，值班心理老师已经收到通知（案例 #{case_id}），今天会跟进。"
        "请同时告诉班主任或心理老师；如果同学有立即的危险，请陪着他/她，并拨打{emergency}。"
        "不要替同学保守这个秘密，你不需要一个人承担。"
    ),
}
FOOTER = "——\n如有危险请拨打{emergency}；心理援助热线{hotline}；学校心理老师：{school}"
DENIAL_CHECK = (
    "谢谢你告诉我。即使是玩笑，我也想再认真问一次：你现在安全吗？"
    "难受的时候，心理老师和热线一直都在，你不需要一个人扛着。"
)
DENIAL = re.compile(r"(开玩笑|开个玩笑|说着玩|逗你|骗你的|假的|闹着玩|没事了|我没事|不是真的|随便说说)")


def fill(template: str, settings: Settings, **extra: object) -> str:
    """Fill the numbers from settings into a fixed text."""
    school = settings.school_counsellor_phone
    if settings.school_numbers:
        school += f"，{settings.school_numbers}"
    return template.format(emergency=settings.emergency_numbers, hotline=settings.hotline, school=school, **extra)


def footer(settings: Settings) -> str:
    """The resources line that stays under every reply after a crisis message."""
    return fill(FOOTER, settings)


def student_reply(level: str, code: str, settings: Settings) -> Reply:
    """The fixed crisis reply to a student (anonymous note) for red or orange."""
    return Reply(fill(STUDENT[level], settings, code=code), (f"查看 {code}", "求助热线"))


def member_reply(level: str, case_id: int, settings: Settings) -> Reply:
    """The fixed crisis reply to a committee member who reported a classmate in danger."""
    return Reply(fill(MEMBER[level], settings, case_id=case_id), ("求助热线", "菜单"))


async def file_as_note(ctx: Context) -> Result:
    """File the sender's text as an anonymous note and answer with the crisis text if urgent."""
    note = await mailbox.file_note(session=ctx.session, school_id=ctx.school_id, text=ctx.text,
                                   verdict=ctx.verdict, sealer=ctx.sealer, channel=ctx.inbound.channel,
                                   external_id=ctx.inbound.sender, now=ctx.now, roster=ctx.settings.student_names)
    if ctx.verdict.urgent:
        await escalation.start(session=ctx.session, case=note.case, summary=ctx.text, zone=ctx.settings.zone,
                               now=ctx.now, new_case=True)
        reply = student_reply(ctx.verdict.level, note.thread.code, ctx.settings)
        return Result([reply], State.MENU, {"thread": note.thread.code}, crisis_level=ctx.verdict.level,
                      crisis_case=note.case.id)
    return Result([], State.MENU, {"thread": note.thread.code})


async def file_as_report(ctx: Context, subject: str, signs: list[str], text: str) -> Result:
    """File a member's text as a concern report, page if urgent, answer with the peer crisis text."""
    assert ctx.who is not None
    filed = await reports.file_concern(session=ctx.session, reporter=ctx.who.person, subject=subject,
                                       signs=signs, text=text, verdict=ctx.verdict, now=ctx.now)
    level = filed.report.level
    if level in ("red", "orange"):
        await escalation.on_urgent(session=ctx.session, case=filed.case, level_rose=filed.level_rose,
                                   summary=text or subject, zone=ctx.settings.zone, now=ctx.now)
        return Result([member_reply(level, filed.case.id, ctx.settings)], State.MENU, crisis_level=level,
                      crisis_case=filed.case.id)
    return Result([], State.MENU, {"case": filed.case.id})


async def intercept(ctx: Context) -> Result:
    """Urgent text outside a step that files it: never dropped, filed at once, resources first."""
    if ctx.is_member:
        subject = str(ctx.data.get("who") or "未说明")
        signs = list(ctx.data.get("signs") or [])
        return await file_as_report(ctx, subject, signs, ctx.text)
    return await file_as_note(ctx)
