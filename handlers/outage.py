"""What the bot says while the database does not answer (the message is spooled, replayed later).

Fixed text that needs nothing from the database: no thread code, no case number (both come with
the replayed reply once the database is back). The crisis texts follow docs/SAFE_REPLIES.md like
those in crisis.py; the sender may be a student or a committee member, so they speak to both.
"""

from __future__ import annotations

from bot.config import Settings
from bot.events import Reply
from handlers.crisis import fill

CRISIS = {
    "red": (
        "如果你或身边的人现在有危险，请马上拨打{emergency}，也可以拨打心理援助热线{hotline}，随时有人接听。"
        "听起来你现在真的很难受，谢谢你愿意说出来。"
        "请先离开身边可能伤害到自己的东西，现在就去找身边的大人（老师、家长、宿管），或者打电话给他们；"
        "如果是同学有危险，请陪在他/她身边，并告诉班主任或心理老师，不要替同学保守这个秘密。"
        "系统现在有些忙，但你的消息已经保存，会尽快转给心理老师，老师会联系你，稍后你也会收到编号。"
        "你的安全最重要：为了保护你，老师可能会请其他大人一起帮忙。"
        "这样的时刻会过去，很多人都从这样的时刻走了过来，帮助是有用的。"
    ),
    "orange": (
        "你可以随时拨打心理援助热线{hotline}，也可以找学校的心理老师（{school}）。"
        "听起来你现在真的很难受，谢谢你告诉我们。"
        "我想直接问你：你现在有伤害自己或结束生命的想法吗？可以直接回复我。"
        "系统现在有些忙，但你的消息已经保存，会尽快转给心理老师，老师会联系你，稍后你也会收到编号。"
        "你的安全最重要：为了保护你，老师可能会请其他大人一起帮忙。"
        "如果危险就在眼前，请马上拨打{emergency}。很多人都经历过这样的难关并走了过来，帮助是有用的。"
    ),
}
BUSY = "系统暂时繁忙，请稍后再试；如有紧急危险请拨打{emergency}或{hotline}"


def reply(level: str, settings: Settings) -> Reply:
    """The fixed answer to a message that was spooled: the crisis text for red and orange, else busy."""
    if level in CRISIS:
        return Reply(fill(CRISIS[level], settings))
    return Reply(fill(BUSY, settings))
