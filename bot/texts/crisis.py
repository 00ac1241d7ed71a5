"""Crisis texts (handlers/crisis.py, handlers/crisis_text.py, handlers/outage.py): fixed per level.

Every text here follows docs/SAFE_REPLIES.md: the same words every time, resources first, never a
method, never a promise of secrecy, no doubt and no lecture. A school may reword them only if the
reworded texts pass bot/texts/safe_rules.py (`xinqiao texts check`); the server refuses them otherwise.
"""

from __future__ import annotations

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
# SAFE_REPLIES rule 14: when a case closes the student is told warmly, with the resources and how to write again.
CLOSING = (
    "心理援助热线{hotline}和学校心理老师（{school}）一直都在；如有危险，请马上拨打{emergency}。"
    "谢谢你愿意把心里的话写下来，心理老师已经结束了这次对话（编号 {code}）。"
    "接下来7天里，如果还想说什么，可以用同一个编号继续写：发送「查看 {code}」，就能接着和老师说。"
    "7天以后，随时可以在「匿名心理信箱」写一封新的信。你不需要一个人扛着，需要的时候，帮助一直都在。"
)
ANSWER_SENT = "已发送给心理老师（编号 {code}）。发送「查看 {code}」可以看到回复。"
NEW_MESSAGE_NOTICE = "匿名对话 {code}（案例 #{case_id}）有新消息：{excerpt}\n回复学生：回复 {code} <内容>"
THREAD_ENDED = (
    "之前的匿名对话已经结束，这段话已经作为一封新的匿名信放进信箱，心理老师会看到。"
    "新的编号是 {code}，发送「查看 {code}」可以看到老师的回复。"
)
DIRECT_QUESTION_SUMMARY = "学生回答「你现在有伤害自己或结束生命的想法吗？」：{text}"
UNNAMED_SUBJECT = "未说明"  # the classmate of a report filed before the member named one

# While the database does not answer (handlers/outage.py): no thread code, no case number (both come with
# the replayed reply once the database is back); the sender may be a student or a committee member.
OUTAGE = {
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
