"""What a channel itself says (bot/channels/): the follow greeting, "text only", how to pick an option."""

from __future__ import annotations

WECHAT_GREETING = "欢迎关注{school}心理服务号「心桥」。这里可以匿名写信给心理老师，心理委员也可以在这里报告同学的情况。"
WECHAT_TYPE_PLEASE = "抱歉，我现在只能读懂文字。请直接打字告诉我，或回复「菜单」看看能做什么。"
TELEGRAM_TYPE_PLEASE = "抱歉，我现在只能读懂文字。请直接打字告诉我，或发送「菜单」看看能做什么。"
WECOM_TYPE_PLEASE = "请用文字发送命令，例如「待处理」或「收到 12」。"
WEBCHAT_STAFF_REFUSED = ("教职工不能通过网页聊天使用心桥：网页聊天只供学生和心理委员使用，教职工控制台的登录尚未开放，"
                         "请使用企业微信或 Telegram。")
CHOOSE = "回复数字选择："
WEBCHAT_TOKENS_LIMITED = ("这个网络在一小时内开启的新聊天太多了，请{minutes}分钟后再试。"
                          "已经打开的聊天不受影响，可以继续发消息。"
                          "如果有人正处在危险中，请立即拨打 {emergency}，或拨打心理援助热线 {hotline}。")
