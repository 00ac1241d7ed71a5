"""A committee member reports a classmate: who, what was seen, details, confirm."""

from __future__ import annotations

import re

from bot.events import Reply
from bot.safe_input import numbers_in
from bot.services.crisis.reports import SIGNS
from bot.texts import report as T
from bot.texts.menu import OPT_CANCEL, OPT_MAILBOX, OPT_MENU
from bot.texts.report import NO_DETAIL_WORDS, OPT_CONFIRM, OPT_DONE, OPT_NO_DETAIL, OPT_REDO
from handlers import report_match
from handlers.base import Context, Flow, Result, State
from handlers.crisis import file_as_report

SIGN_LIST = tuple(SIGNS)


def start(ctx: Context) -> Result:
    """Begin a report (members only)."""
    if not ctx.is_member and "head_teacher" not in ctx.roles:
        return Result([Reply(T.NOT_MEMBER, (OPT_MAILBOX, OPT_MENU))], State.MENU)
    return Result([Reply(T.ASK_WHO, (OPT_CANCEL,))], State.REPORT_WHO, {})


def _signs_reply(data: dict, text: str) -> Result:
    return Result([Reply(text, SIGN_LIST + (OPT_DONE,))], State.REPORT_SIGNS, data)


async def who_step(ctx: Context) -> Result:
    """Who the classmate is."""
    who = " ".join(ctx.text.split())
    if not who:
        return Result([Reply(T.ASK_WHO, (OPT_CANCEL,))], State.REPORT_WHO, ctx.data)
    if len(who) > 30:
        return Result([Reply(T.WHO_TOO_LONG, (OPT_CANCEL,))], State.REPORT_WHO, ctx.data)
    return _signs_reply({"who": who, "signs": []}, T.ASK_SIGNS)


async def signs_step(ctx: Context) -> Result:
    """Signs, several allowed; `完成` moves on."""
    data = dict(ctx.data)
    signs: list[str] = list(data.get("signs") or [])
    text = ctx.text.strip()
    if text == OPT_DONE:
        if not signs:
            return _signs_reply(data, T.NEED_SIGN)
        return Result([Reply(T.ASK_DETAIL, (OPT_NO_DETAIL,))], State.REPORT_DETAIL, data)
    picked = [text] if text in SIGN_LIST else []
    if not picked and re.fullmatch(r"[0-9０-９\s,，、]+", text):
        picked = [SIGN_LIST[n - 1] for n in numbers_in(text, max_digits=3) if 1 <= n <= len(SIGN_LIST)]
    if not picked:
        if not text or re.fullmatch(r"[\d\s,，、]+", text):
            return _signs_reply(data, T.ASK_SIGNS)
        data["detail"] = _joined(str(data.get("detail") or ""), text)
        return _signs_reply(data, T.KEPT_SIGNS)
    for sign in picked:
        if sign not in signs:
            signs.append(sign)
    data["signs"] = signs
    return _signs_reply(data, T.PICKED.format(signs="、".join(signs)))


async def detail_step(ctx: Context) -> Result:
    """Free text about what was seen."""
    detail = ctx.text.strip()
    if len(detail) > 2000:
        return Result([Reply(T.DETAIL_TOO_LONG, (OPT_NO_DETAIL,))], State.REPORT_DETAIL, ctx.data)
    earlier = str(ctx.data.get("detail") or "")
    data = dict(ctx.data, detail=earlier if detail in NO_DETAIL_WORDS else _joined(earlier, detail))
    return _confirm(data)


def _joined(earlier: str, more: str) -> str:
    return f"{earlier}\n{more}" if earlier else more


def _confirm(data: dict, prefix: str = "") -> Result:
    text = prefix + T.CONFIRM.format(who=data["who"], signs="、".join(data["signs"]),
                                     detail=data["detail"] or T.NO_DETAIL)
    return Result([Reply(text, (OPT_CONFIRM, OPT_REDO, OPT_CANCEL))], State.REPORT_CONFIRM, data)


async def confirm_step(ctx: Context) -> Result:
    """Submit, start again, or re-ask."""
    choice = ctx.text.strip()
    if choice == OPT_REDO:
        return Result([Reply(T.ASK_WHO, (OPT_CANCEL,))], State.REPORT_WHO, {})
    if choice != OPT_CONFIRM:
        if not choice:
            return _confirm(dict(ctx.data))
        if len(str(ctx.data.get("detail") or "")) + len(choice) > 2000:
            return _confirm(dict(ctx.data), T.DETAIL_TOO_LONG + "\n")
        data = dict(ctx.data, detail=_joined(str(ctx.data.get("detail") or ""), choice))
        return _confirm(data, T.KEPT_CONFIRM + "\n")
    detail = ctx.data.get("detail", "")
    ctx.verdict = ctx.triage(detail)
    result = await file_as_report(ctx, ctx.data["who"], list(ctx.data["signs"]), detail)
    if not result.replies:
        result.replies = [Reply(T.DONE.format(case_id=result.data["case"]), (OPT_MENU,))]
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
