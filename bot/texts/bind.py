"""Binding with an invite code (handlers/bind.py), and the wait after too many wrong codes (handlers/guessing.py)."""

from __future__ import annotations

ASK_CODE = "请输入心理老师发给你的邀请码（8位字母和数字）。回复「取消」返回。"
BOUND = "绑定成功！你好，{name}。你的身份：{roles}。发送「菜单」查看可以做的事。"
REFUSED = {
    "unknown": "这个邀请码不存在，请检查后重新输入，或向心理老师索取新的邀请码。",
    "used": "这个邀请码已经用过了。每个邀请码只能用一次，请向心理老师索取新的邀请码。",
    "expired": "这个邀请码已经过期，请向心理老师索取新的邀请码。",
    "already": "你已经绑定过这个身份了，不需要再绑定。",
    "taken": "这个账号已经绑定了另一个身份。如需更换，请联系心理老师。",
    "staff_channel": "教职工的邀请码不能在网页聊天中使用（教职工控制台的登录尚未开放），"
                     "请在企业微信或 Telegram 中发送「绑定 邀请码」。这个邀请码仍然有效。",
}
ROLE_NAMES = {
    "member_class": "班级心理委员", "member_dorm": "寝室心理委员", "counsellor": "心理老师",
    "leader": "危机干预小组负责人", "head_teacher": "班主任", "admin": "管理员",
}
WAIT = ("尝试的次数太多了。为了保护大家的信息安全，请{minutes}分钟后再试。"
        "如果你现在有危险，请马上拨打{emergency}，也可以拨打心理援助热线{hotline}。")

OPT_BIND_WORD = "绑定"  # `绑定 <code>`: the command word (a label)
