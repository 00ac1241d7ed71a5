"""Binding a channel to a committee member or staff account with a one-time invite code."""

from __future__ import annotations

import re

from bot.events import Reply
from bot.services.school.people import BindError
from bot.services.school.people import bind as bind_identity
from handlers import guessing
from handlers.base import Command, Context, Flow, Result, State

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
_CODE = re.compile(r"^[A-Za-z0-9]{6,12}$")


def start(ctx: Context) -> Result:
    """Ask for the invite code."""
    return Result([Reply(ASK_CODE, ("取消",))], State.BIND_CODE)


async def _bind(ctx: Context, code: str) -> Result:
    wait = await guessing.refused(ctx, "invite")
    if wait is not None:
        return wait
    if not _CODE.fullmatch(code):  # not shaped like a code: a slip, not a guess
        return Result([Reply(REFUSED["unknown"], ("取消",))], State.BIND_CODE)
    try:
        person = await bind_identity(session=ctx.session, channel=ctx.inbound.channel,
                                     external_id=ctx.inbound.sender, code=code, now=ctx.now,
                                     staff=ctx.inbound.staff)
    except BindError as err:
        if err.reason in ("unknown", "used", "expired"):  # a code that is not theirs to use
            await guessing.failed(ctx, "invite")
        retry = err.reason in ("unknown",)
        return Result([Reply(REFUSED[err.reason], ("取消",) if retry else ("菜单",))],
                      State.BIND_CODE if retry else State.MENU)
    roles = "、".join(ROLE_NAMES.get(r, r) for r in sorted(person.role_set))
    return Result([Reply(BOUND.format(name=person.name, roles=roles), ("菜单",))], State.MENU)


async def code_step(ctx: Context) -> Result:
    """The code typed after the prompt."""
    return await _bind(ctx, ctx.text.strip())


async def _bind_command(ctx: Context, m: re.Match[str]) -> Result:
    return await _bind(ctx, m.group(1))


async def _start_command(ctx: Context, _m: re.Match[str]) -> Result:
    return start(ctx)


FLOW = Flow(
    name="bind",
    steps={State.BIND_CODE: code_step},
    commands=(Command(re.compile(r"^\s*绑定\s*([A-Za-z0-9]+)\s*$"), _bind_command),
              Command(re.compile(r"^\s*(绑定|/bind)\s*$", re.I), _start_command)),
)
