"""A committee member reports a classmate: who, what was seen, details, confirm."""

from __future__ import annotations

import re

from bot.events import Reply
from bot.safe_input import numbers_in
from bot.services.crisis.reports import SIGNS
from handlers import report_match
from handlers.base import Context, Flow, Result, State
from handlers.crisis import file_as_report

NOT_MEMBER = "只有绑定的心理委员和班主任可以报告同学情况。如果你想说说自己的事，可以使用「匿名心理信箱」。"
ASK_WHO = "请告诉我是哪位同学（写姓名或简单描述都可以，比如「同桌小李」）。回复「取消」随时退出。"
WHO_TOO_LONG = "请简短一些（30字以内），只写姓名或简单描述即可。详细情况下一步再写。"
ASK_SIGNS = "你注意到了哪些情况？可以多选，选好后点「完成」（也可以回复序号，如「1 3」）。"
PICKED = "已选：{signs}。可以继续选择，选好后点「完成」。"
KEPT_SIGNS = "这段话已经记下，会放进描述里。请选择你注意到的情况（可以多选），选好后点「完成」。"
KEPT_CONFIRM = "这段话已经加进描述。"
NEED_SIGN = "请至少选择一项，选好后点「完成」。"
ASK_DETAIL = "请简单描述你看到或听到的情况（时间、地点、同学说过的话都很有帮助）。没有补充可以回复「无」。"
DETAIL_TOO_LONG = "内容太长了，请精简到2000字以内再发送。"
CONFIRM = "请确认要提交的报告：\n同学：{who}\n情况：{signs}\n描述：{detail}"
OPT_CONFIRM, OPT_REDO, OPT_CANCEL = "确认提交", "重新填写", "取消"
DONE = (
    "报告已提交（案例 #{case_id}），谢谢你的细心和关心。心理老师会在工作时间跟进。"
    "如果情况变得紧急，请马上告诉班主任或心理老师。"
)
DONE_DONE = "完成"
SIGN_LIST = tuple(SIGNS)


def start(ctx: Context) -> Result:
    """Begin a report (members only)."""
    if not ctx.is_member and "head_teacher" not in ctx.roles:
        return Result([Reply(NOT_MEMBER, ("匿名心理信箱", "菜单"))], State.MENU)
    return Result([Reply(ASK_WHO, ("取消",))], State.REPORT_WHO, {})


def _signs_reply(data: dict, text: str) -> Result:
    return Result([Reply(text, SIGN_LIST + (DONE_DONE,))], State.REPORT_SIGNS, data)


async def who_step(ctx: Context) -> Result:
    """Who the classmate is."""
    who = " ".join(ctx.text.split())
    if not who:
        return Result([Reply(ASK_WHO, ("取消",))], State.REPORT_WHO, ctx.data)
    if len(who) > 30:
        return Result([Reply(WHO_TOO_LONG, ("取消",))], State.REPORT_WHO, ctx.data)
    return _signs_reply({"who": who, "signs": []}, ASK_SIGNS)


async def signs_step(ctx: Context) -> Result:
    """Signs, several allowed; `完成` moves on."""
    data = dict(ctx.data)
    signs: list[str] = list(data.get("signs") or [])
    text = ctx.text.strip()
    if text == DONE_DONE:
        if not signs:
            return _signs_reply(data, NEED_SIGN)
        return Result([Reply(ASK_DETAIL, ("无",))], State.REPORT_DETAIL, data)
    picked = [text] if text in SIGN_LIST else []
    if not picked and re.fullmatch(r"[0-9０-９\s,，、]+", text):
        picked = [SIGN_LIST[n - 1] for n in numbers_in(text, max_digits=3) if 1 <= n <= len(SIGN_LIST)]
    if not picked:
        if not text or re.fullmatch(r"[\d\s,，、]+", text):
            return _signs_reply(data, ASK_SIGNS)
        data["detail"] = _joined(str(data.get("detail") or ""), text)
        return _signs_reply(data, KEPT_SIGNS)
    for sign in picked:
        if sign not in signs:
            signs.append(sign)
    data["signs"] = signs
    return _signs_reply(data, PICKED.format(signs="、".join(signs)))


async def detail_step(ctx: Context) -> Result:
    """Free text about what was seen."""
    detail = ctx.text.strip()
    if len(detail) > 2000:
        return Result([Reply(DETAIL_TOO_LONG, ("无",))], State.REPORT_DETAIL, ctx.data)
    earlier = str(ctx.data.get("detail") or "")
    data = dict(ctx.data, detail=earlier if detail in ("无", "没有", "") else _joined(earlier, detail))
    return _confirm(data)


def _joined(earlier: str, more: str) -> str:
    return f"{earlier}\n{more}" if earlier else more


def _confirm(data: dict, prefix: str = "") -> Result:
    text = prefix + CONFIRM.format(who=data["who"], signs="、".join(data["signs"]), detail=data["detail"] or "（无）")
    return Result([Reply(text, (OPT_CONFIRM, OPT_REDO, OPT_CANCEL))], State.REPORT_CONFIRM, data)


async def confirm_step(ctx: Context) -> Result:
    """Submit, start again, or re-ask."""
    choice = ctx.text.strip()
    if choice == OPT_REDO:
        return Result([Reply(ASK_WHO, ("取消",))], State.REPORT_WHO, {})
    if choice != OPT_CONFIRM:
        if not choice:
            return _confirm(dict(ctx.data))
        if len(str(ctx.data.get("detail") or "")) + len(choice) > 2000:
            return _confirm(dict(ctx.data), DETAIL_TOO_LONG + "\n")
        data = dict(ctx.data, detail=_joined(str(ctx.data.get("detail") or ""), choice))
        return _confirm(data, KEPT_CONFIRM + "\n")
    detail = ctx.data.get("detail", "")
    ctx.verdict = ctx.triage(detail)
    result = await file_as_report(ctx, ctx.data["who"], list(ctx.data["signs"]), detail)
    if not result.replies:
        result.replies = [Reply(DONE.format(case_id=result.data["case"]), ("菜单",))]
    return await report_match.ask(ctx, result, ctx.data["who"])  # filed (and paged) first; the link waits


FLOW = Flow(
    name="report",
    steps={
        State.REPORT_WHO: who_step,
        State.REPORT_SIGNS: signs_step,
        State.REPORT_DETAIL: detail_step,
        State.REPORT_CONFIRM: confirm_step,
    },
)
