"""Crisis texts: fixed per level (docs/SAFE_REPLIES.md), the same words every time.

Every text here is fixed: the same message gets the same words every time. None names a method,
promises secrecy, doubts the sender or lectures them.
"""

from __future__ import annotations

import re

from bot.config import Settings
from bot.events import Reply

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
ANSWER_NO = (
    "心理援助热线{hotline}和学校心理老师（{school}）一直都在。谢谢你认真回答我，你的回答心理老师会看到。"
    "难受的时候随时可以在这里接着写，老师会通过这个匿名对话回复你（编号 {code}）。"
    "如果之后出现伤害自己的想法，请马上告诉身边的大人，或拨打{emergency}。"
)
# To the counsellor: every answer to the direct question, in words.
ANSWER_NOTICE = (
    "【学生回答了直接询问】匿名对话 {code}（案例 #{case_id}）\n"
    "问：你现在有伤害自己或结束生命的想法吗？\n答：{text}\n{meaning}\n回复学生：回复 {code} <内容>"
)
ANSWER_MEANING = {
    "yes": "回答为肯定：案例已按红色处理，请立即联系学生。",
    "no": "回答为否定：已记录，案例保持开放，请按计划跟进。",
}


def answer_no_reply(code: str, settings: Settings) -> Reply:
    """What a student hears after answering no to the direct question."""
    return Reply(fill(ANSWER_NO, settings, code=code), (f"查看 {code}", "求助热线"))
# SAFE_REPLIES rule 14: when a case closes the student is told warmly, with the resources and how to write again.
CLOSING = (
    "心理援助热线{hotline}和学校心理老师（{school}）一直都在；如有危险，请马上拨打{emergency}。"
    "谢谢你愿意把心里的话写下来，心理老师已经结束了这次对话（编号 {{code}}）。"
    "接下来7天里，如果还想说什么，可以用同一个编号继续写：发送「查看 {{code}}」，就能接着和老师说。"
    "7天以后，随时可以在「匿名心理信箱」写一封新的信。你不需要一个人扛着，需要的时候，帮助一直都在。"
)


def closing_text(settings: Settings) -> str:
    """The closing message of a thread, numbers filled in, {code} left for the thread's code."""
    return fill(CLOSING, settings)
