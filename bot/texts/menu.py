"""The menu (handlers/menu.py): the greeting, the hotline numbers, and the labels every flow shows."""

from __future__ import annotations

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
YOU_ARE_WELCOME = "不客气。想说的时候随时可以找我，也可以写给匿名心理信箱。"

# Labels: shown as buttons and matched by the menu step and the commands (never overridden).
OPT_MAILBOX = "匿名心理信箱"
OPT_BIND = "绑定心理委员"
OPT_HOTLINE = "求助热线"
OPT_REPORT = "报告同学情况"
OPT_CHECKIN = "本周周报"
OPT_MENU = "菜单"
OPT_CANCEL = "取消"
# Words the menu step reads as "show the menu" or as small talk (matched, not shown: not overridden either).
GREETINGS = (OPT_MENU, "你好", "您好", "/start", "hi", "hello", "menu")
SMALL_TALK = ("谢谢", "谢谢你", "谢谢老师", "好的", "好", "嗯", "嗯嗯", "ok", "再见", "拜拜", "知道了")
